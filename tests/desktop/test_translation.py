"""Translations of foreign-language documents (8 C.F.R. § 1003.33): the service's rules and the PDF
filed (the English translation and the certificate of translation). Real encrypted vault; the
people and documents are fictional."""

from __future__ import annotations

import io
import subprocess

import pytest

from bench.scans import line_pdf as make_pdf
from desktop.documents.declaration import CERTIFICATE_OF_TRANSLATION_TEXT
from desktop.errors import ValidationError
from desktop.evidence.service import (
    NEEDS_LANGUAGE,
    NEEDS_TRANSLATION,
    NEEDS_TRANSLATOR,
    DocumentService,
)

TRANSLATOR = {
    "name": "Marta Quintanilla Reyes",
    "address": "120 Elm Street, Dallas, TX 75201",
    "phone": "214-555-0142",
}
TYPED = (
    "CERTIFICATE OF POLICE RECORD\n\nThe National Civil Police certifies that Lucía Ávila Tzoc has no record."
)


def pdf_text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def page_count(data: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


@pytest.fixture
def service(store):
    return DocumentService(store)


@pytest.fixture
def client(store):
    return store.create(
        "client", {"given_names": "Lucía", "family_names": "Ávila Tzoc", "a_number": "201555077"}
    ).id


@pytest.fixture
def spanish(service, client):
    return service.add(
        client,
        make_pdf("Constancia de Solvencia", "Policia Nacional Civil"),
        title="Constancia de antecedentes",
        kind="police_clearance",
        language="es",
    )


@pytest.fixture
def english(service, client):
    return service.add(
        client,
        make_pdf("Police clearance translation", "page two", "page three"),
        title="Police clearance, English",
        kind="translation",
        language="en",
    )


def test_missing_for_english_spanish_and_unknown_language(service, client, spanish):
    english_doc = service.add(client, make_pdf("Letter"), language="en")
    assert service.translation_missing(english_doc) == []
    assert service.translation_missing(spanish) == [NEEDS_TRANSLATION, *NEEDS_TRANSLATOR.values()]
    unknown = service.add(client, make_pdf("Sin idioma"))
    assert unknown.data["language"] is None
    assert service.translation_missing(unknown)[0] == NEEDS_LANGUAGE
    assert NEEDS_TRANSLATION in service.translation_missing(unknown)


def test_typed_translation_and_translator_complete_the_document(service, spanish):
    service.set_translation(spanish.id, text=TYPED)
    doc = service.set_translator(spanish.id, **TRANSLATOR)
    assert doc.data["translation"] == {"text": TYPED}
    assert doc.data["translator"] == TRANSLATOR
    assert service.translation_missing(doc) == []
    removed = service.set_translation(spanish.id)
    assert removed.data["translation"] is None
    assert service.translation_missing(removed) == [NEEDS_TRANSLATION]


def test_a_document_translation_must_be_english_live_and_of_the_same_client(
    service, store, client, spanish, english
):
    doc = service.set_translation(spanish.id, document=english.id)
    assert doc.data["translation"] == {"document": english.id}
    with pytest.raises(ValidationError, match="English"):
        service.set_translation(spanish.id, document=service.add(client, make_pdf("Otra"), language="es").id)
    with pytest.raises(ValidationError, match="its own"):
        service.set_translation(english.id, document=english.id)
    other_client = store.create("client", {"given_names": "Tomás", "family_names": "Ruiz"}).id
    theirs = service.add(other_client, make_pdf("Other client's letter"), language="en")
    with pytest.raises(ValidationError, match="same client"):
        service.set_translation(spanish.id, document=theirs.id)
    with pytest.raises(ValidationError, match="same client"):
        service.set_translation(spanish.id, document="00000000-0000-4000-8000-000000000000")
    with pytest.raises(ValidationError, match="not both"):
        service.set_translation(spanish.id, document=english.id, text="x")
    # the English document deleted later: the translation is missing again
    store.delete(english.id)
    assert NEEDS_TRANSLATION in service.translation_missing(service.get(spanish.id))


def test_typed_text_bounds_and_translator_refusals(service, spanish):
    with pytest.raises(ValidationError, match="empty"):
        service.set_translation(spanish.id, text=" \n\t ")
    with pytest.raises(ValidationError, match="too long"):
        service.set_translation(spanish.id, text="a" * 200_001)
    assert service.get(spanish.id).data["translation"] is None
    with pytest.raises(ValidationError, match="telephone"):
        service.set_translator(spanish.id, name="Marta Quintanilla", address="120 Elm St", phone=" ")
    with pytest.raises(ValidationError, match="at most 200"):
        service.set_translator(spanish.id, name="M" * 201, address="120 Elm St", phone="1")
    assert service.get(spanish.id).data["translator"] is None
    service.set_translator(spanish.id, **TRANSLATOR)
    assert service.last_translator() == TRANSLATOR
    assert service.set_translator(spanish.id, name="", address="", phone="").data["translator"] is None


def test_typed_translation_pdf_has_heading_text_and_the_declarations_certificate(service, spanish):
    service.set_translation(spanish.id, text=TYPED)
    service.set_translator(spanish.id, **TRANSLATOR)
    data = service.translation_pdf(spanish.id)
    assert data.startswith(b"%PDF")
    words = pdf_text(data)
    assert "English translation of: Constancia de antecedentes" in words
    assert "The National Civil Police certifies that Lucía Ávila Tzoc has no record." in words
    assert "CERTIFICATE OF TRANSLATION" in words
    assert "Marta Quintanilla Reyes" in words and "214-555-0142" in words and "Dallas, TX 75201" in words
    assert "Original language: Spanish" in words
    assert spanish.data["original"]["sha256"][:16] in words
    assert "A 201-555-077" in words  # the running header names the client
    expected = CERTIFICATE_OF_TRANSLATION_TEXT.format(
        translator=TRANSLATOR["name"],
        source="Spanish",
        target="English",
        document="Constancia de antecedentes",
    )
    assert " ".join(expected.split()) in words
    assert page_count(data) == 2  # the text, then the certificate on its own page


def test_the_pdf_is_english_in_a_spanish_interface(service, spanish):
    from desktop import i18n

    service.set_translation(spanish.id, text=TYPED)
    service.set_translator(spanish.id, **TRANSLATOR)
    previous = i18n.current_language()
    i18n.set_language("es")
    try:
        words = pdf_text(service.translation_pdf(spanish.id))
    finally:
        i18n.set_language(previous)
    assert "English translation of:" in words and "CERTIFICATE OF TRANSLATION" in words
    assert (
        "I, Marta Quintanilla Reyes, certify that I am competent to translate from Spanish into English"
        in words
    )
    assert "Traducción" not in words and "certifico" not in words.lower()


def test_a_document_translation_is_its_pages_and_one_certificate_page(service, spanish, english):
    service.set_translation(spanish.id, document=english.id)
    service.set_translator(spanish.id, **TRANSLATOR)
    data = service.translation_pdf(spanish.id)
    assert page_count(data) == 3 + 1
    words = pdf_text(data)
    assert words.index("Police clearance translation") < words.index("CERTIFICATE OF TRANSLATION")


def test_an_image_translation_becomes_a_page(service, client, spanish):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (850, 1100), (250, 250, 250)).save(buf, "PNG")
    photo = service.add(client, buf.getvalue(), filename="translation.png", language="en")
    service.set_translation(spanish.id, document=photo.id)
    assert page_count(service.translation_pdf(spanish.id)) == 2


def test_no_translation_no_pdf(service, spanish):
    with pytest.raises(ValidationError, match="no English translation"):
        service.translation_pdf(spanish.id)


# -- the command line: declara doc translate, doc export --translation ------------------------------
ANA = "A201555014"


@pytest.fixture
def cli_vault(tmp_path, run, ana_path):
    path = tmp_path / "v.declara"
    assert run("vault", "init", path)[0] == 0
    assert run("case", "import", path, ana_path)[0] == 0
    for name, lines, lang in (
        ("constancia.pdf", ("Constancia de antecedentes",), "es"),
        ("clearance_en.pdf", ("Police clearance in English", "page two"), "en"),
    ):
        file = tmp_path / name
        file.write_bytes(make_pdf(*lines))
        assert run("doc", "add", path, ANA, file, "--lang", lang)[0] == 0
    code, out, err = run("doc", "list", path, ANA, "--json")
    import json

    rows = {row["language"]: row["id"] for row in json.loads(out)}
    return path, rows["es"], rows["en"]


def test_cli_translate_typed_text_and_export(run, cli_vault, tmp_path):
    vault, spanish, _english = cli_vault
    text_file = tmp_path / "translation.txt"
    text_file.write_text(TYPED, encoding="utf-8")
    code, out, err = run("doc", "translate", vault, spanish, "--text-file", text_file)
    assert code == 0, err
    assert "the translator's name" in out  # the filing still needs the certificate's details
    code, out, err = run(
        "doc",
        "translate",
        vault,
        spanish,
        "--translator",
        TRANSLATOR["name"],
        "--translator-address",
        TRANSLATOR["address"],
        "--translator-phone",
        TRANSLATOR["phone"],
    )
    assert code == 0, err
    assert "English translation and certificate ready." in out
    target = tmp_path / "out" / "translation.pdf"
    target.parent.mkdir()
    code, out, err = run("doc", "export", vault, spanish, "--out", target, "--translation")
    assert code == 0, err
    assert (target.stat().st_mode & 0o777) == 0o600
    words = pdf_text(target.read_bytes())
    assert "National Civil Police certifies" in words and "Marta Quintanilla Reyes" in words


def test_cli_translate_with_a_document_and_remove(run, cli_vault, tmp_path):
    vault, spanish, english = cli_vault
    code, out, err = run("doc", "translate", vault, spanish, "--document", english)
    assert code == 0, err
    target = tmp_path / "t.pdf"
    assert run("doc", "export", vault, spanish, "--out", target, "--translation")[0] == 0
    assert page_count(target.read_bytes()) == 2 + 1
    code, out, err = run("doc", "translate", vault, spanish, "--remove")
    assert code == 0 and "has no translation now" in out
    code, out, err = run("doc", "export", vault, spanish, "--out", tmp_path / "again.pdf", "--translation")
    assert code == 1 and "no English translation" in err
    assert not (tmp_path / "again.pdf").exists()


def test_cli_translate_refusals(run, cli_vault, tmp_path):
    vault, spanish, english = cli_vault
    code, out, err = run("doc", "translate", vault, english, "--document", spanish)  # not English
    assert code == 1 and "not marked as English" in err and "Traceback" not in err
    code, out, err = run("doc", "translate", vault, spanish, "--translator", "Marta Quintanilla")
    assert code == 1 and "all three" in err
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    code, out, err = run("doc", "translate", vault, spanish, "--text-file", empty)
    assert code == 1 and "empty" in err
    code, out, err = run("doc", "translate", vault, spanish)
    assert code == 1
    code, out, err = run("doc", "translate", vault, spanish, "--text-file", tmp_path / "missing.txt")
    assert code == 1 and "missing.txt" in err
