"""The declaration PDF, read back with poppler (pdftotext, pdfinfo, pdffonts, pdftohtml).

Checks what the declarant signs and the court receives: numbered paragraphs in order, the
28 U.S.C. § 1746 clause chosen by the place of signing, the signature block never alone on a page,
the certificate of interpretation (English drafted for a Spanish speaker) or the original, the
translation and the certificate of translation (drafted in Spanish), name, A-number and "Page N of
M" on every page, embedded fonts, signed and draft versions, the client's reading copy, and the
``declara declaration`` command with older versions.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop import i18n
from desktop.vault import keyheader as kh
from desktop.case.casefile import export_case, import_case
from desktop.drafting.declarations import DeclarationService
from desktop.documents.declaration import (
    PART_CERTIFICATE_OF_INTERPRETATION,
    PART_CERTIFICATE_OF_TRANSLATION,
    PART_DECLARATION,
    PART_ORIGINAL,
    PART_TRANSLATION,
    declaration_parts,
    declaration_title,
    in_support_of_text,
    render_declaration,
)


REPO = Path(__file__).resolve().parents[2]
NAME = "Ana Lucía Pérez Gómez"
A_NUMBER = "A 201-555-014"
CLAUSE_US_EN = "I declare under penalty of perjury that the foregoing is true and correct."
CLAUSE_ABROAD_EN = (
    "I declare under penalty of perjury under the laws of the United States of America that the "
    "foregoing is true and correct."
)
CLAUSE_US_ES = "Declaro bajo pena de perjurio que lo anterior es verdadero y correcto."
CLAUSE_ABROAD_ES = (
    "Declaro bajo pena de perjurio conforme a las leyes de los Estados Unidos de América que lo "
    "anterior es verdadero y correcto."
)
BLANK = "____________"


# -- helpers -----------------------------------------------------------------------------------
def _page(pdf, path: Path, number: int) -> str:
    """One page's text, read on its own (``pdftotext -f N -l N``)."""
    return pdf.run("pdftotext", "-layout", "-f", number, "-l", number, path, "-")


def _pages(pdf, path: Path) -> list[str]:
    return [_page(pdf, path, n) for n in range(1, int(pdf.info(path)["Pages"]) + 1)]


def _flat(value: str) -> str:
    """Whitespace (line breaks, layout gaps) collapsed to single spaces."""
    return " ".join(value.split())


def _numbers(text: str) -> list[int]:
    """The paragraph numbers as printed: "N." at the start of a line, before the text."""
    return [int(m) for m in re.findall(r"^ +(\d+)\. +\S", text, flags=re.MULTILINE)]


def _opening(paragraph_text: str, words: int = 5) -> str:
    return " ".join(paragraph_text.split()[:words])


@pytest.fixture
def ana(ana_path: Path) -> dict:
    return json.loads(ana_path.read_text(encoding="utf-8"))


def _spanish_drafted(ana: dict) -> dict:
    case = copy.deepcopy(ana)
    case["declaration"]["drafted_in"] = "es"
    return case


@pytest.fixture
def ana_pdfs(ana: dict, tmp_path: Path, pdf) -> dict[str, Path]:
    """Each language's original: English drafted in English, Spanish drafted in Spanish."""
    return {
        "en": pdf.write(tmp_path, render_declaration(ana, "en"), "ana-en.pdf"),
        "es": pdf.write(tmp_path, render_declaration(_spanish_drafted(ana), "es"), "ana-es.pdf"),
    }


def _long_case(ana: dict, count: int = 60) -> dict:
    """``ana`` with ``count`` paragraphs of about three double-spaced lines; paragraph i says Pi."""
    case = copy.deepcopy(ana)
    sentence = "This sentence is part of a long account of what happened and it keeps going. "
    case["declaration"]["paragraphs"] = [
        {"en": f"P{i:02d} begins here. " + sentence * 3, "es": f"P{i:02d} empieza aquí."}
        for i in range(1, count + 1)
    ]
    return case


# -- content -----------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "es"])
def test_numbered_paragraphs_in_order(ana, ana_pdfs, lang, pdf):
    text = pdf.layout_text(ana_pdfs[lang])
    paragraphs = ana["declaration"]["paragraphs"]
    assert _numbers(text) == list(range(1, len(paragraphs) + 1)) == list(range(1, 11))
    flat = _flat(text)
    needles = [f"{n}. {_opening(p[lang])}" for n, p in enumerate(paragraphs, start=1)]
    positions = pdf.positions(flat, needles)
    assert positions == sorted(positions)
    intro = {"en": f"I, {NAME}, declare as follows:", "es": f"Yo, {NAME}, declaro lo siguiente:"}[lang]
    assert flat.index(intro) < positions[0]
    # The last paragraph's whole text, then the clause.
    last = " ".join(paragraphs[-1][lang].split())
    clause = {"en": CLAUSE_US_EN, "es": CLAUSE_US_ES}[lang]
    assert flat.index(last) < flat.index(clause)


def test_titles_and_caption(ana_pdfs, pdf):
    english = _flat(pdf.layout_text(ana_pdfs["en"]))
    assert (
        f"Declaration of {NAME} in support of asylum, withholding of removal and protection under the "
        "Convention Against Torture" in english
    )
    # No court city is recorded for Ana: the court's name stands as recorded, no city is guessed.
    heading = (
        "UNITED STATES DEPARTMENT OF JUSTICE EXECUTIVE OFFICE FOR IMMIGRATION REVIEW "
        "IMMIGRATION COURT PEARSALL IMMIGRATION COURT"
    )
    assert heading in english and "In the Matter of:" in english
    assert f"{NAME}, Respondent" in english
    assert "In Removal Proceedings" in english and f"A-number: {A_NUMBER}" in english
    assert "Next Hearing: August 14, 2024" in english and "Immigration Judge" not in english
    spanish = _flat(pdf.layout_text(ana_pdfs["es"]))
    assert (
        f"Declaración de {NAME} en apoyo de su solicitud de asilo, la suspensión de la expulsión y la "
        "protección conforme a la Convención contra la Tortura" in spanish
    )
    assert "En el asunto de:" in spanish and f"{NAME}, Demandada" in spanish
    assert "DEPARTAMENTO DE JUSTICIA DE LOS ESTADOS UNIDOS" in spanish
    assert "TRIBUNAL DE INMIGRACIÓN PEARSALL IMMIGRATION COURT" in spanish


ALL_RELIEF_EN = "asylum, withholding of removal and protection under the Convention Against Torture"
ALL_RELIEF_ES = (
    "su solicitud de asilo, la suspensión de la expulsión y la protección conforme a la Convención contra la "
    "Tortura"
)


def test_in_support_of_translation():
    """Relief is stored as keys and worded in the document's language; a typed purpose as typed."""
    assert in_support_of_text({"relief": ["asylum"]}, "es") == "su solicitud de asilo"
    both = {"relief": ["asylum", "withholding"], "in_support_of": None}
    assert in_support_of_text(both, "es") == "su solicitud de asilo y la suspensión de la expulsión"
    typed = {"relief": [], "in_support_of": "a motion to reopen"}
    assert in_support_of_text(typed, "es") == "a motion to reopen"  # kept as typed
    mixed = {"relief": ["asylum"], "in_support_of": "a  motion to reopen"}
    assert in_support_of_text(mixed, "es") == "su solicitud de asilo y a motion to reopen"
    assert in_support_of_text(mixed, "en") == "asylum and a motion to reopen"
    assert in_support_of_text({"relief": ["asylum"]}, "en") == "asylum"
    every = {"relief": ["asylum", "withholding", "cat"], "in_support_of": None}
    assert in_support_of_text(every, "en") == ALL_RELIEF_EN
    assert in_support_of_text(every, "es") == ALL_RELIEF_ES
    assert in_support_of_text({"relief": [], "in_support_of": None}, "es") == ""


def test_in_support_of_an_older_phrase():
    """Fields without ``relief`` (a version signed before the keys) keep their English phrase,
    translated when it only names relief, else as typed; in English exactly as it was signed."""
    assert in_support_of_text({"in_support_of": "asylum"}, "es") == "su solicitud de asilo"
    both = in_support_of_text({"in_support_of": "Asylum and withholding of removal"}, "es")
    assert both == "su solicitud de asilo y la suspensión de la expulsión"
    assert in_support_of_text({"in_support_of": "a motion to reopen"}, "es") == "a motion to reopen"
    older = {"in_support_of": "asylum and a motion to reopen"}
    assert in_support_of_text(older, "es") == "asylum and a motion to reopen"
    signed = {"in_support_of": "Asylum and withholding of removal", "status": "signed"}
    assert in_support_of_text(signed, "en") == "Asylum and withholding of removal"
    assert in_support_of_text({"in_support_of": ALL_RELIEF_EN}, "es") == ALL_RELIEF_ES


def test_the_title_from_stored_keys_is_the_files_title(store, ana, tmp_path, pdf):
    """Imported, Ana's phrase becomes keys; the PDF says what the file said, in both languages."""
    client_id = import_case(store, copy.deepcopy(ana))
    stored = DeclarationService(store).current(client_id).record.data
    assert stored["relief"] == ["asylum", "withholding", "cat"] and stored["in_support_of"] is None
    declaration = {**stored, "paragraphs": ana["declaration"]["paragraphs"]}
    for lang, purpose in (("en", ALL_RELIEF_EN), ("es", ALL_RELIEF_ES)):
        document = render_declaration(ana, lang, declaration=declaration)
        title = _flat(pdf.layout_text(pdf.write(tmp_path, document, f"keys-{lang}.pdf")))
        assert f" {purpose} " in title
        assert declaration_title(declaration, NAME, lang) == declaration_title(ana["declaration"], NAME, lang)


def test_untitled_purpose(ana, tmp_path, pdf):
    ana["declaration"]["in_support_of"] = None
    text = _flat(pdf.layout_text(pdf.write(tmp_path, render_declaration(ana, "en"))))
    assert f"Declaration of {NAME} I, {NAME}, declare as follows:" in text


def test_us_clause_for_pearsall(ana_pdfs, pdf):
    english = _flat(pdf.layout_text(ana_pdfs["en"]))
    assert CLAUSE_US_EN in english and "under the laws of" not in english
    assert f"Executed on {BLANK} at Pearsall, Texas." in english
    spanish = _flat(pdf.layout_text(ana_pdfs["es"]))
    assert CLAUSE_US_ES in spanish and "conforme a las leyes" not in spanish
    assert f"Firmado el {BLANK} en Pearsall, Texas." in spanish


def test_clause_signed_abroad(ana, tmp_path, pdf):
    ana["declaration"]["place_of_signing"] = {"city": "Ciudad Juárez", "region": "Chihuahua", "country": "MX"}
    english = _flat(pdf.layout_text(pdf.write(tmp_path, render_declaration(ana, "en"))))
    assert CLAUSE_ABROAD_EN in english
    assert f"Executed on {BLANK} at Ciudad Juárez, Chihuahua, Mexico." in english
    spanish = _flat(pdf.layout_text(pdf.write(tmp_path, render_declaration(_spanish_drafted(ana), "es"))))
    assert CLAUSE_ABROAD_ES in spanish
    assert f"Firmado el {BLANK} en Ciudad Juárez, Chihuahua, México." in spanish
    # Unknown place: the form valid everywhere, and a blank for the place.
    ana["declaration"]["place_of_signing"] = None
    english = _flat(pdf.layout_text(pdf.write(tmp_path, render_declaration(ana, "en"))))
    assert CLAUSE_ABROAD_EN in english and f"Executed on {BLANK} at {BLANK}." in english


def test_english_ends_with_certificate_of_interpretation(ana_pdfs, pdf):
    path = ana_pdfs["en"]
    pages = _pages(pdf, path)
    last = _flat(pages[-1])
    assert "CERTIFICATE OF INTERPRETATION" in last
    assert "penalty of perjury" not in last  # a page of its own
    assert "I, Rosa Medina, certify that I am competent to interpret between Spanish and English." in last
    assert f"I read the foregoing declaration of {NAME} to the declarant in Spanish" in last
    assert "understood it before signing it" in last
    assert "true and accurate to the best of my abilities" in last
    for line in (
        "Signature:",
        "Printed name: Rosa Medina",
        "Date:",
        "Address: 100 Example St., San Antonio, TX 78205",
        "Telephone: (210) 555-0134",
    ):
        assert line in last, line
    assert "CERTIFICATE OF INTERPRETATION" not in _flat("".join(pages[:-1]))
    assert pdf.outline(path) == ["Declaration", "Certificate of interpretation"]
    assert declaration_parts({"drafted_in": "en", "declarant_language": "es"}, "en") == [
        PART_DECLARATION,
        PART_CERTIFICATE_OF_INTERPRETATION,
    ]


def test_no_certificate_for_an_english_speaker_or_in_spanish(ana, ana_pdfs, tmp_path, pdf):
    spanish = _flat(pdf.layout_text(ana_pdfs["es"]))
    assert "CERTIFICADO" not in spanish.upper()  # no certificate of any kind
    assert pdf.outline(ana_pdfs["es"]) == ["Declaración"]
    ana["declaration"]["declarant_language"] = "en"
    english = pdf.layout_text(pdf.write(tmp_path, render_declaration(ana, "en")))
    assert "CERTIFICATE" not in english
    assert declaration_parts(ana["declaration"], "en") == [PART_DECLARATION]


def test_spanish_drafted_gives_original_translation_and_certificate(ana, tmp_path, pdf):
    case = _spanish_drafted(ana)
    path = pdf.write(tmp_path, render_declaration(case, "en"))
    assert pdf.outline(path) == ["Spanish original", "English translation", "Certificate of translation"]
    pages = [_flat(page) for page in _pages(pdf, path)]
    text = " ".join(pages)
    original = text.index("Spanish original")
    translation = text.index("English translation")
    certificate = text.index("CERTIFICATE OF TRANSLATION")
    assert original < text.index("1. Me llamo Ana Lucía") < text.index(CLAUSE_US_ES) < translation
    assert translation < text.index("1. My name is Ana Lucía") < text.index(CLAUSE_US_EN) < certificate
    # The original in Spanish words, the translation in English ones, each part on new pages.
    assert f"Yo, {NAME}, declaro lo siguiente:" in text and f"I, {NAME}, declare as follows:" in text
    start = next(i for i, page in enumerate(pages) if "English translation" in page)
    assert "Me llamo" not in pages[start] and "Tengo miedo" in pages[start - 1]
    assert "CERTIFICATE OF TRANSLATION" in pages[-1] and "My name is" not in pages[-1]
    last = pages[-1]
    assert "I, Rosa Medina, certify that I am competent to translate from Spanish into English" in last
    assert "complete, true and accurate to the best of my abilities" in last
    assert f"“Declaration of {NAME} in support of asylum" in last  # names the document it covers
    assert "Printed name: Rosa Medina" in last and "Telephone: (210) 555-0134" in last
    assert "INTERPRETATION" not in text
    assert declaration_parts(case["declaration"], "en") == [
        PART_ORIGINAL,
        PART_TRANSLATION,
        PART_CERTIFICATE_OF_TRANSLATION,
    ]


def test_spanish_drafted_in_spanish_is_just_the_original(ana, tmp_path, pdf):
    case = _spanish_drafted(ana)
    path = pdf.write(tmp_path, render_declaration(case, "es"))
    text = _flat(pdf.layout_text(path))
    assert "1. Me llamo Ana Lucía" in text and CLAUSE_US_ES in text
    assert "My name is" not in text and "CERTIFICADO" not in text.upper()
    assert pdf.outline(path) == ["Declaración"]


def test_missing_translation_is_marked(ana, tmp_path, pdf):
    ana["declaration"]["paragraphs"][2]["es"] = ""
    ana["declaration"]["paragraphs"][3].pop("en")
    spanish = _flat(pdf.layout_text(pdf.write(tmp_path, render_declaration(ana, "es"))))
    assert "3. [falta la traducción] Around 2015 my mother" in spanish
    english = _flat(pdf.layout_text(pdf.write(tmp_path, render_declaration(ana, "en"))))
    assert "4. [translation missing] En la primavera de 2021" in english
    assert english.count("[translation missing]") == 1


def test_every_page_carries_name_a_number_and_page_n_of_m(ana_pdfs, ana, tmp_path, pdf):
    paths = dict(ana_pdfs)
    paths["drafted-es"] = pdf.write(tmp_path, render_declaration(_spanish_drafted(ana), "en"), "drafted.pdf")
    for key, path in paths.items():
        template = "Página {n} de {m}" if key == "es" else "Page {n} of {m}"
        pages = _pages(pdf, path)
        assert len(pages) >= 2, key
        for n, page in enumerate(pages, start=1):
            assert NAME in page and A_NUMBER in page, (key, n)
            assert template.format(n=n, m=len(pages)) in page, (key, n)


def test_fonts_embedded_liberation_only(ana_pdfs, ana, tmp_path, pdf):
    paths = [*ana_pdfs.values(), pdf.write(tmp_path, render_declaration(_spanish_drafted(ana), "en"))]
    paths.append(pdf.write(tmp_path, render_declaration(ana, "es", reading_copy=True), "reading.pdf"))
    for path in paths:
        rows = pdf.run("pdffonts", path).splitlines()[2:]
        assert rows
        names = {row.split()[0].split("+")[-1] for row in rows}
        assert all(name.startswith("Liberation") for name in names), names
        assert "LiberationSerif" in names
        # columns: name type encoding emb sub uni object ID
        assert all(row.split()[-5] == "yes" for row in rows), rows


def test_detained_in_the_caption(ana, ana_pdfs, tmp_path, pdf):
    """DETAINED at the top right; in Spanish agreeing with the client's recorded gender."""
    first = pdf.layout_text(ana_pdfs["en"]).split("UNITED STATES DEPARTMENT")[0].splitlines()
    assert [line.strip() for line in first if line.strip()][-1] == "DETAINED"
    line = next(line for line in first if "DETAINED" in line)
    assert line.index("DETAINED") > 50  # at the right
    assert "DETENIDA" in pdf.layout_text(ana_pdfs["es"])
    case = _spanish_drafted(ana)
    for gender, word, respondent in (
        ("male", "DETENIDO", "Demandado"),
        ("Hombre", "DETENIDO", "Demandado"),
        (None, "DETENIDO(A)", "Demandado(a)"),
        ("nonbinary", "DETENIDO(A)", "Demandado(a)"),
    ):
        case["client"]["gender"] = gender
        text = _flat(pdf.layout_text(pdf.write(tmp_path, render_declaration(case, "es"))))
        assert f" {word} " in f" {text} " and f"{NAME}, {respondent} " in text, gender
        assert "DETENIDA" not in text
    ana["client"]["custody"]["status"] = "released"
    assert "DETAINED" not in pdf.layout_text(pdf.write(tmp_path, render_declaration(ana, "en")))


def test_metadata_and_bookmarks(ana_pdfs, pdf):
    info = pdf.info(ana_pdfs["en"])
    assert info["Title"].startswith(f"Declaration of {NAME} in support of asylum")
    assert info["Author"] == NAME and info["Creator"] == "Declara"
    assert info["Subject"] == f"In the Matter of {NAME}, {A_NUMBER}, In Removal Proceedings"
    assert info["Encrypted"] == "no" and info["Page size"].startswith("612 x 792")
    assert pdf.info(ana_pdfs["es"])["Title"].startswith(
        f"Declaración de {NAME} en apoyo de su solicitud de asilo"
    )
    assert b"/Lang (en)" in ana_pdfs["en"].read_bytes() and b"/Lang (es)" in ana_pdfs["es"].read_bytes()


# -- pagination --------------------------------------------------------------------------------
def test_sixty_paragraphs_paginate_and_keep_the_signature_with_text(ana, tmp_path, pdf):
    case = _long_case(ana)
    started = time.perf_counter()
    document = render_declaration(case, "en")
    elapsed = time.perf_counter() - started
    path = pdf.write(tmp_path, document)
    pages = _pages(pdf, path)
    print(f"\n60 paragraphs: {len(pages)} pages double-spaced, rendered in {elapsed:.2f} s")
    assert len(pages) >= 6
    text = pdf.layout_text(path)
    assert _numbers(text) == list(range(1, 61))
    flat = _flat(text)
    positions = pdf.positions(flat, [f"{i}. P{i:02d} begins here." for i in range(1, 61)])
    assert positions == sorted(positions)
    signature_page = next(page for page in pages if "penalty of perjury" in page)
    above = signature_page[: signature_page.index("I declare under penalty")]
    assert "keeps going." in above  # the last paragraph's tail, at least
    assert f"Executed on {BLANK}" in signature_page and NAME in signature_page.split("Executed on")[1]
    assert "CERTIFICATE OF INTERPRETATION" in pages[-1]
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page


def test_signature_never_alone_whatever_the_last_paragraph(ana, tmp_path, pdf):
    """Grow the last paragraph line by line: the clause always has paragraph text above it."""
    for words in range(0, 420, 14):
        case = _long_case(ana, 8)
        case["declaration"]["paragraphs"][-1]["en"] = "Word " * words + "THE END."
        path = pdf.write(tmp_path, render_declaration(case, "en"))
        page = next(p for p in _pages(pdf, path) if "penalty of perjury" in p)
        clause = page.index("I declare under penalty")
        above = page[max(0, clause - 400) : clause]
        assert "THE END." in _flat(above), words
        assert NAME in page.split("Executed on")[1], words


def test_long_paragraph_splits_across_pages_keeping_its_number(ana, tmp_path, pdf):
    ana["declaration"]["paragraphs"][4]["en"] = " ".join(f"Sentence S{i:03d}." for i in range(300))
    path = pdf.write(tmp_path, render_declaration(ana, "en"))
    text = pdf.layout_text(path)
    assert _numbers(text) == list(range(1, 11))  # the continuation is not numbered again
    flat = _flat(text)
    assert flat.index("5. Sentence S000.") < flat.index("Sentence S299.") < flat.index("6. On June 18")
    pages = _pages(pdf, path)
    assert sum("Sentence S" in page for page in pages) >= 2


def test_single_spaced_is_shorter(ana, tmp_path, pdf):
    case = _long_case(ana)
    double = int(pdf.info(pdf.write(tmp_path, render_declaration(case, "en"), "d.pdf"))["Pages"])
    single_path = pdf.write(tmp_path, render_declaration(case, "en", double_spaced=False), "s.pdf")
    single = int(pdf.info(single_path)["Pages"])
    assert single < double
    assert _numbers(pdf.layout_text(single_path)) == list(range(1, 61))


# -- versions ----------------------------------------------------------------------------------
def test_signed_declaration_shows_date_and_sha256(store, ana, tmp_path, pdf):
    client_id = import_case(store, ana)
    service = DeclarationService(store)
    signed = service.sign(client_id, dt.date(2024, 7, 20))
    digest = signed.record.data["sha256"]
    case = export_case(store, client_id)
    assert case["declaration"]["status"] == "signed"
    case_es = _spanish_drafted(case)
    for lang, executed, stamp, footer in (
        (
            "en",
            "Executed on July 20, 2024 at",
            "Signed version 1, SHA-256 ",
            "Declaration — signed version 1",
        ),
        (
            "es",
            "Firmado el 20 de julio de 2024 en",
            "Versión firmada 1, SHA-256 ",
            "Declaración — versión firmada 1",
        ),
    ):
        document = render_declaration(case if lang == "en" else case_es, lang)
        path = pdf.write(tmp_path, document, f"signed-{lang}.pdf")
        pages = _pages(pdf, path)
        text = _flat("".join(pages))
        assert f"{executed} Pearsall, Texas." in text and BLANK not in text
        assert "Draft" not in text and "Borrador" not in text
        assert f"{stamp}{digest}" in _flat(pages[-1])
        assert all(stamp not in _flat(page) for page in pages[:-1])
        assert all(footer in page for page in pages)


def test_draft_has_a_blank_date_and_says_draft(ana, tmp_path, pdf):
    ana["declaration"].update(version=3, status="draft")
    path = pdf.write(tmp_path, render_declaration(ana, "en"))
    pages = _pages(pdf, path)
    assert f"Executed on {BLANK} at Pearsall, Texas." in _flat("".join(pages))
    assert all("Declaration — Draft — version 3" in page for page in pages)
    assert "SHA-256" not in "".join(pages)
    spanish = _pages(pdf, pdf.write(tmp_path, render_declaration(_spanish_drafted(ana), "es"), "es.pdf"))
    assert all("Declaración — Borrador — versión 3" in page for page in spanish)


def test_executed_on_given_by_the_caller(ana, tmp_path, pdf):
    path = pdf.write(tmp_path, render_declaration(ana, "en", executed_on=dt.date(2024, 8, 1)))
    assert "Executed on August 1, 2024 at Pearsall, Texas." in _flat(pdf.layout_text(path))


def test_older_version_through_the_declaration_argument(ana, tmp_path, pdf):
    older = copy.deepcopy(ana["declaration"])
    older["paragraphs"] = older["paragraphs"][:2]
    text = _flat(pdf.layout_text(pdf.write(tmp_path, render_declaration(ana, "en", declaration=older))))
    assert _numbers(pdf.layout_text(tmp_path / "doc.pdf")) == [1, 2]
    assert "I am afraid" not in text and CLAUSE_US_EN in text


# -- the client's reading copy -----------------------------------------------------------------
def test_reading_copy(ana, tmp_path, pdf):
    ana["declaration"].update(status="signed", signed_on="2024-07-20", sha256="a" * 64, version=1)
    path = pdf.write(tmp_path, render_declaration(ana, "es", reading_copy=True))
    pages = _pages(pdf, path)
    text = _flat("".join(pages))
    assert "COPIA PARA LEER — NO FIRMAR" in _flat(pages[0])
    assert all("Copia para leer — no firmar" in page for page in pages)
    assert "1. Me llamo Ana Lucía" in text and "10. Tengo miedo" in text
    assert "pena de perjurio" not in text and "Firmado el" not in text
    assert "penalty of perjury" not in text and "CERTIFICA" not in text.upper()
    assert "SHA-256" not in text
    assert declaration_parts(ana["declaration"], "en", reading_copy=True) == [PART_DECLARATION]


# -- languages and errors ----------------------------------------------------------------------
def test_interface_language_unchanged(ana, tmp_path, pdf):
    i18n.set_language("en")
    spanish = pdf.layout_text(pdf.write(tmp_path, render_declaration(ana, "es")))
    assert i18n.current_language() == "en" and "declaro lo siguiente" in spanish
    i18n.set_language("es")
    english = pdf.layout_text(pdf.write(tmp_path, render_declaration(ana, "en")))
    assert i18n.current_language() == "es" and "declare as follows" in english


def test_refusals(ana):
    with pytest.raises(ValueError):
        render_declaration(ana, "fr")
    ana["declaration"] = None
    with pytest.raises(ValueError):
        render_declaration(ana, "en")


def test_importing_the_module_does_not_import_reportlab():
    script = (
        "import sys\n"
        "import desktop.documents.declaration\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'reportlab')\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# -- command line ------------------------------------------------------------------------------
def _vault_with_ana(run, tmp_path: Path, ana_path: Path):
    vault = tmp_path / "v"
    assert run("vault", "init", vault)[0] == 0
    assert run("case", "import", vault, ana_path)[0] == 0
    return run, vault


def test_cli_writes_the_pdf_0600(run, tmp_path, ana_path, pdf):
    run, vault = _vault_with_ana(run, tmp_path, ana_path)
    out = tmp_path / "out" / "declaration.pdf"
    out.parent.mkdir()
    code, stdout, err = run("declaration", vault, "A201555014", "--lang", "en", "--out", out)
    assert code == 0, err
    assert stdout == "" and "not encrypted" in err
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert os.listdir(out.parent) == ["declaration.pdf"]  # no temporary file left behind
    text = _flat(pdf.layout_text(out))
    assert "1. My name is Ana Lucía" in text and "CERTIFICATE OF INTERPRETATION" in text
    assert "Declaration — Draft — version 1" in text
    single = tmp_path / "single.pdf"
    assert run("declaration", vault, "A201555014", "--lang", "en", "--out", single, "--single-spaced")[0] == 0
    assert int(pdf.info(single)["Pages"]) <= int(pdf.info(out)["Pages"])
    reading = tmp_path / "reading.pdf"
    code, _, err = run(
        "--lang", "es", "declaration", vault, "201555014", "--lang", "es", "--out", reading, "--reading-copy"
    )
    assert code == 0 and "No está cifrado" in err
    text = _flat(pdf.layout_text(reading))
    assert "COPIA PARA LEER — NO FIRMAR" in text and "pena de perjurio" not in text


def test_cli_older_version_after_signing_and_editing(run, passphrase, tmp_path, ana_path, pdf):
    from desktop.case.store import CaseStore
    from desktop.vault.database import open_vault, unlock

    run, vault = _vault_with_ana(run, tmp_path, ana_path)
    store = CaseStore(open_vault(vault, unlock(vault, passphrase, kh.unsafe_test_policy())))
    with store.vault:
        client_id = store.resolve_client("A 201-555-014").id
        service = DeclarationService(store)
        signed = service.sign(client_id, dt.date(2024, 7, 20))
        service.set_paragraph(client_id, 2, "en", "Around 2016 my aunt and I opened a bakery in Usulután.")
        assert [v.number for v in service.versions(client_id)] == [1, 2]
    digest = signed.record.data["sha256"]

    first, current = tmp_path / "v1.pdf", tmp_path / "current.pdf"
    assert run("declaration", vault, "A201555014", "--lang", "en", "--out", first, "--version", 1)[0] == 0
    assert run("declaration", vault, "A201555014", "--lang", "en", "--out", current)[0] == 0
    old = _flat(pdf.layout_text(first))
    assert "3. Around 2015 my mother and I opened a small pupusería" in old and "bakery" not in old
    assert "Executed on July 20, 2024 at Pearsall, Texas." in old
    assert f"Signed version 1, SHA-256 {digest}" in old
    new = _flat(pdf.layout_text(current))
    assert "3. Around 2016 my aunt and I opened a bakery in Usulután." in new and "pupusería" not in new
    assert f"Executed on {BLANK} at Pearsall, Texas." in new
    assert "Declaration — Draft — version 2" in new and "SHA-256" not in new
    second = tmp_path / "v2.pdf"
    assert run("declaration", vault, "A201555014", "--lang", "en", "--out", second, "--version", 2)[0] == 0
    assert "bakery" in pdf.layout_text(second)


def test_cli_errors(run, tmp_path, ana_path, ana, capsys):
    run, vault = _vault_with_ana(run, tmp_path, ana_path)
    out = tmp_path / "d.pdf"
    code, _, err = run("declaration", vault, "A201555014", "--lang", "en", "--out", out, "--version", 5)
    assert code == 1 and "has no version 5" in err and "versions: 1" in err and "Traceback" not in err
    assert not out.exists()
    assert run("declaration", vault, "A201555014", "--out", out)[0] == 2  # the language is required
    assert "--lang" in capsys.readouterr().err
    ana["client"]["a_number"] = "A 201-555-099"
    ana["declaration"] = None
    case_path = tmp_path / "no-declaration.json"
    case_path.write_text(json.dumps(ana, ensure_ascii=False), encoding="utf-8")
    assert run("case", "import", vault, case_path)[0] == 0
    code, _, err = run("declaration", vault, "A201555099", "--lang", "en", "--out", out)
    assert code == 1 and f"{NAME} has no declaration yet." in err
    code, _, err = run("--lang", "es", "declaration", vault, "A201555099", "--lang", "en", "--out", out)
    assert code == 1 and f"{NAME} todavía no tiene una declaración." in err
    assert not out.exists()


# -- one original, signed or draft, conformed, scanned signature (issue 14) ---------------------
def _signed(case: dict, on: str = "2024-07-20") -> dict:
    case = copy.deepcopy(case)
    case["declaration"].update(status="signed", signed_on=on, sha256="b" * 64, version=2)
    return case


def _png(width: int = 300, height: int = 100, mode: str = "RGB") -> bytes:
    import io

    from PIL import Image, ImageDraw

    picture = Image.new(mode, (width, height), "white")
    ImageDraw.Draw(picture).line([(10, height - 20), (width - 10, 20)], fill="black", width=4)
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def test_spanish_of_an_english_original_is_a_copy_for_reading(ana, tmp_path, pdf):
    """Drafted in English: the Spanish rendering has nothing to sign, every page says so."""
    for case in (ana, _signed(ana)):
        pages = _pages(pdf, pdf.write(tmp_path, render_declaration(case, "es"), "es.pdf"))
        text = _flat("".join(pages))
        assert all("Copia para leer — no firmar" in page for page in pages)
        assert "COPIA PARA LEER — NO FIRMAR" in _flat(pages[0])
        assert "pena de perjurio" not in text and "Firmado el" not in text
        assert "CERTIFICA" not in text.upper() and "Borrador" not in text and "1. Me llamo Ana" in text
    english = _pages(pdf, pdf.write(tmp_path, render_declaration(ana, "en"), "en.pdf"))
    assert all("Copy for reading" not in page for page in english)
    text = _flat(pdf.layout_text(pdf.write(tmp_path, render_declaration(ana, "en", reading_copy=True))))
    assert "COPY FOR READING — DO NOT SIGN" in text and "penalty of perjury" not in text


def test_translation_has_no_signature_line_for_the_declarant(ana, tmp_path, pdf):
    """Drafted in Spanish: the English filing is the original (signed), its translation (no line:
    the declarant does not read English) and the certificate of translation."""
    case = _spanish_drafted(ana)
    path = pdf.write(tmp_path, render_declaration(case, "en"))
    pages = [_flat(page) for page in _pages(pdf, path)]
    start = next(i for i, page in enumerate(pages) if "English translation" in page)
    certificate = next(i for i, page in enumerate(pages) if "CERTIFICATE OF TRANSLATION" in page)
    original = "\n".join(_pages(pdf, path)[:start])
    translation = "\n".join(_pages(pdf, path)[start:certificate])
    # A signature line is drawn as a rule: pdftohtml does not show it, so read the drawing.
    assert CLAUSE_US_ES in _flat(original) and CLAUSE_US_EN in _flat(translation)
    assert "[signature]" not in translation  # a draft: nothing is signed yet
    lines = _signature_rules(pdf, path)
    assert [page for page, _ in lines] == [start - 1]  # only the original (its last page) has one
    signed = _signed(case)
    path = pdf.write(tmp_path, render_declaration(signed, "en"), "signed.pdf")
    text = _flat(pdf.layout_text(path))
    assert "[signature]" in text and "Executed on July 20, 2024 at Pearsall, Texas." in text
    assert "Firmado el 20 de julio de 2024 en Pearsall, Texas." in text
    assert "I, Rosa Medina, certify that I am competent to translate from Spanish into English" in text
    assert "Draft" not in text and "Borrador" not in text
    assert len(_signature_rules(pdf, path)) == 1


def _signature_rules(pdf, path: Path) -> list[tuple[int, float]]:
    """(page index, height) of each declarant's signature line: the rule drawn under the right
    column (from 0.45 to 1.0 of the 468-point frame) of the signature block, read from the pages'
    content streams (reportlab writes them ASCII85 + Flate encoded, one per page, in order)."""
    import base64
    import zlib

    data = path.read_bytes()
    streams = re.finditer(
        rb"/Filter \[ /ASCII85Decode /FlateDecode \][^>]*>>\s*stream\r?\n(.*?)endstream", data, re.S
    )
    found = []
    pages = [
        zlib.decompress(base64.a85decode(raw, adobe=raw.endswith(b"~>"))).decode("latin-1")
        for raw in (m.group(1).strip() for m in streams)
    ]
    for index, content in enumerate(page for page in pages if " Tf" in page):
        for match in re.finditer(r"\b210\.6 ([\d.]+) m 468 \1 l S", content):
            found.append((index, float(match.group(1))))
    return found


def test_signed_shows_the_stored_date_and_no_draft_anywhere(ana, tmp_path, pdf):
    case = _signed(ana, "2024-07-22")
    path = pdf.write(tmp_path, render_declaration(case, "en"))
    pages = _pages(pdf, path)
    text = _flat("".join(pages))
    assert "Executed on July 22, 2024 at Pearsall, Texas." in text and "Draft" not in text
    assert all("Declaration — signed version 2" in page for page in pages)
    last = _flat(pages[-1])  # the certificate of interpretation, complete
    assert "I, Rosa Medina, certify" in last and "Printed name: Rosa Medina" in last
    assert "Date: July 22, 2024" in last


def test_draft_is_marked_on_every_page_of_every_part(ana, tmp_path, pdf):
    case = _spanish_drafted(_long_case(ana, 20))
    case["declaration"].update(version=4, status="draft")
    pages = _pages(pdf, pdf.write(tmp_path, render_declaration(case, "en")))
    assert len(pages) >= 4
    assert all("Declaration — Draft — version 4" in page for page in pages)


def test_conformed_copy(ana, tmp_path, pdf):
    case = _signed(ana)
    text = _flat(pdf.layout_text(pdf.write(tmp_path, render_declaration(case, "en", conformed=True))))
    assert f"/s/ {NAME} {NAME}" in text  # on the line, then the printed name
    assert "Signature: /s/ Rosa Medina" in text and "Draft" not in text
    translated = _spanish_drafted(case)
    text = _flat(pdf.layout_text(pdf.write(tmp_path, render_declaration(translated, "en", conformed=True))))
    assert text.count(f"/s/ {NAME}") == 2 and "Signature: /s/ Rosa Medina" in text
    case["declaration"]["interpreter"] = {"name": None}
    text = _flat(pdf.layout_text(pdf.write(tmp_path, render_declaration(case, "en", conformed=True))))
    assert "/s/ Rosa" not in text and "Signature:" in text  # no name: a line to sign
    from desktop.errors import DeclaraError

    with pytest.raises(DeclaraError, match="signed declaration"):
        render_declaration(ana, "en", conformed=True)  # a draft has no conformed copy


def test_signature_image_embedded_and_bad_images_refused(ana, tmp_path, pdf):
    from desktop.errors import DeclaraError

    case = _signed(ana)
    path = pdf.write(tmp_path, render_declaration(case, "en", signature_image=_png()))
    rows = pdf.run("pdfimages", "-list", path).splitlines()[2:]
    assert len(rows) == 1, rows
    columns = rows[0].split()
    assert columns[2] == "image" and (columns[3], columns[4]) == ("300", "100")
    page_of_image = int(columns[0])
    assert "penalty of perjury" in _page(pdf, path, page_of_image)
    tall = pdf.write(tmp_path, render_declaration(case, "en", signature_image=_png(100, 400)), "tall.pdf")
    assert len(pdf.run("pdfimages", "-list", tall).splitlines()[2:]) == 1
    for bad in (b"not an image", b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, b"GIF89a" + b"\0" * 20):
        with pytest.raises(DeclaraError, match="PNG or JPEG"):
            render_declaration(case, "en", signature_image=bad)
    with pytest.raises(DeclaraError, match="too large"):
        render_declaration(case, "en", signature_image=_png(4500, 200))
    with pytest.raises(DeclaraError, match="too large"):
        render_declaration(case, "en", signature_image=b"\x89PNG\r\n\x1a\n" + b"\0" * (3 * 1024 * 1024))
    with pytest.raises(DeclaraError, match="not both"):
        render_declaration(case, "en", signature_image=_png(), conformed=True)
    with pytest.raises(DeclaraError, match="signed declaration"):
        render_declaration(ana, "en", signature_image=_png())


def test_caption_judge_and_court_place(ana, tmp_path, pdf):
    ana["proceedings"].update(court_city="Chaparral", court_state="NM", judge="Jane Q. Roe")
    text = _flat(pdf.layout_text(pdf.write(tmp_path, render_declaration(ana, "en"))))
    assert "IMMIGRATION COURT CHAPARRAL, NEW MEXICO" in text
    assert "Immigration Judge: Jane Q. Roe Next Hearing: August 14, 2024" in text
    spanish = _flat(pdf.layout_text(pdf.write(tmp_path, render_declaration(_spanish_drafted(ana), "es"))))
    assert "Juez(a) de inmigración: Jane Q. Roe Próxima audiencia: 14 de agosto de 2024" in spanish
    assert "OFICINA EJECUTIVA DE REVISIÓN DE CASOS DE INMIGRACIÓN" in spanish


def test_place_of_signing_from_the_facility_list():
    from desktop.drafting.assemble import place_of_signing

    otero = {"city": "Chaparral", "region": "New Mexico", "country": "US"}
    assert place_of_signing({"status": "detained", "facility": "Otero County Processing Center"}) == otero
    assert place_of_signing({"status": "detained", "facility": "OTERO COUNTY PROCESSING CENTER"}) == otero
    typed = {"status": "detained", "facility": "Some County Jail, Austin, TX"}
    assert place_of_signing(typed) == {"city": "Austin", "region": "Texas", "country": "US"}
    released = {"status": "released", "facility": "Otero County Processing Center"}
    assert place_of_signing(released) == {"city": None, "region": None, "country": None}
