"""Sources as a court reads them: no internal id reaches a PDF (issue 15).

The table of labels (resources/source_labels.toml) is read here with tomllib directly, as the
specification the PDFs are checked against: every document kind has an English and a Spanish label,
every slug the example and test cases use has an entry, and a chronology exhibit holding every kind
of source (interview, interview:<id>, paragraph:N, exhibit:X, each document slug and alias, an
unknown slug) prints the labels and none of the tokens, in English and in Spanish. The declaration
PDFs of the example cases are checked for ids too.
"""

from __future__ import annotations

import copy
import json
import re
import tomllib
from pathlib import Path

import pytest

from desktop.documents.source_labels import (
    ExhibitRef,
    build_table,
    humanize_slug,
    parse_exhibit_ref,
)
from desktop.documents.timeline import (
    content_fingerprint,
    render_timeline,
    source_label,
    timeline_content,
    timeline_rows,
    unknown_sources,
)

REPO = Path(__file__).resolve().parents[2]
TABLE = tomllib.loads((REPO / "resources" / "source_labels.toml").read_text(encoding="utf-8"))
DOCUMENTS: dict[str, dict] = TABLE["documents"]
ALIASES = {alias: slug for slug, entry in DOCUMENTS.items() for alias in entry["aliases"]}
CASE_FILES = sorted(
    [*(REPO / "resources" / "examples").glob("*.json"), *(REPO / "tests" / "data").glob("*.json")]
)
INTERVIEW_ID = "ans-7f3c2a91"
UNKNOWN = "hospital-record"
#: Vault documents of the case (case file version 2, ``documents[]``) and a UUID naming none.
VAULT_DOCUMENTS = [
    {"id": "doc-1a2b3c4d", "kind": "i213", "title": "I-213 de Ana, copia FOIA"},
    {"id": "doc-5e6f7a8b", "kind": "police_clearance", "title": "Solvencia PNC 2023"},
]
STRAY_UUID = "3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b"
NBSP = "\u00a0"


# -- helpers -----------------------------------------------------------------------------------
def _raw_text(pdf, path: Path) -> str:
    """The text in drawing order (pdftotext -raw): each table cell's lines stay together."""
    return pdf.run("pdftotext", "-raw", path, "-").replace(NBSP, " ")


def _words(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").split())


def _squash(text: str) -> str:
    """Without any whitespace: a label wrapped (even mid-word) in a narrow column still matches."""
    return "".join(text.replace(NBSP, " ").split())


def _has_token(text: str, token: str) -> bool:
    """``token`` standing alone (case-sensitive; not inside a longer word, slug or path)."""
    return re.search(rf"(?<![\w/-]){re.escape(token)}(?![\w-])", text) is not None


def _every_kind_case(ana: dict) -> dict:
    """Ana's case with one event per kind of source, neutral texts, and her declaration."""
    tokens = [
        ["interview"],
        [f"interview:{INTERVIEW_ID}"],
        ["paragraph:4"],
        ["exhibit:C"],
        *([f"document:{slug}"] for slug in DOCUMENTS),
        *([f"document:{alias}"] for alias in ALIASES),
        [f"document:{UNKNOWN}"],
        ["document:doc-1a2b3c4d#p3"],
        ["document:doc-5e6f7a8b"],
        [f"document:{STRAY_UUID}#p2"],
    ]
    events = [
        {
            "id": f"ev-k{n:03d}",
            "date": f"20{n // 12:02d}-{n % 12 + 1:02d}-15",
            "category": "legal",
            "status": "documented",
            "text": {"en": f"Happening {n}.", "es": f"Suceso {n}."},
            "sources": sources,
        }
        for n, sources in enumerate(tokens)
    ]
    case = copy.deepcopy(ana)
    case["events"] = events
    case["documents"] = copy.deepcopy(VAULT_DOCUMENTS)
    for paragraph in case["declaration"]["paragraphs"]:
        paragraph["events"] = []
    return case


@pytest.fixture
def ana(ana_path: Path) -> dict:
    return json.loads(ana_path.read_text(encoding="utf-8"))


# -- the table ---------------------------------------------------------------------------------
def test_every_entry_has_an_english_and_a_spanish_label_and_a_source_field():
    assert len(DOCUMENTS) >= 20
    for slug, entry in DOCUMENTS.items():
        assert entry["en"].strip() and entry["es"].strip(), slug
        assert entry["en"] != slug and entry["es"] != slug, slug  # a label, not the id again
        assert isinstance(entry["aliases"], list), slug
        assert isinstance(entry["source"], str), slug
        assert entry["source"] == "" or entry["source"].startswith("https://"), slug
    for section, keys in {
        "kinds": ("declaration", "interview"),
        "references": ("exhibit", "exhibit_page", "paragraph", "paragraphs"),
        "patterns": ("with_exhibit", "with_paragraph"),
    }.items():
        for key in keys:
            assert TABLE[section][key]["en"].strip() and TABLE[section][key]["es"].strip()
    names = [name for slug, entry in DOCUMENTS.items() for name in (slug, *entry["aliases"])]
    assert len(names) == len(set(names)), "a slug or alias names two documents"


def test_official_form_titles():
    """The U.S. forms by the titles on the forms (each entry notes where it was checked)."""
    assert DOCUMENTS["i-213"]["en"] == "Form I-213, Record of Deportable/Inadmissible Alien"
    assert DOCUMENTS["i-94"]["en"] == "Form I-94, Arrival/Departure Record"
    assert DOCUMENTS["nta"]["en"] == "Form I-862, Notice to Appear"
    assert DOCUMENTS["i-589-receipt"]["en"] == (
        "Receipt notice for Form I-589, Application for Asylum and for Withholding of Removal"
    )
    for slug in ("i-213", "i-94", "nta", "i-589-receipt", "i-870", "i-220a", "solvencia"):
        assert DOCUMENTS[slug]["source"].startswith("https://"), slug


def test_every_slug_in_use_has_an_entry():
    used: set[str] = set()
    files = [*CASE_FILES, *sorted((REPO / "bench").glob("*.py"))]
    for path in files:
        used |= set(re.findall(r'"document:([a-z0-9][a-z0-9_-]*)"', path.read_text(encoding="utf-8")))
    assert {"i-213", "solvencia", "antecedentes-policiacos", "carencia-antecedentes-penales"} <= used
    missing = sorted(slug for slug in used if slug not in DOCUMENTS and slug not in ALIASES)
    assert missing == []


def test_aliases_name_one_document_and_guatemalas_two_records_stay_apart():
    table = build_table(TABLE)
    labels = {source_label(f"document:{s}", "en") for s in ("solvencia", "constancia-antecedentes")}
    labels.add(source_label("document:antecedentes-policiales", "en"))
    assert labels == {DOCUMENTS["solvencia"]["en"]}
    assert table.canonical("Constancia-Antecedentes") == "solvencia"
    policiacos = source_label("document:antecedentes-policiacos", "es")
    penales = source_label("document:carencia-antecedentes-penales", "es")
    assert policiacos != penales
    assert "Policía Nacional Civil de Guatemala" in policiacos and "Organismo Judicial" in penales


def test_a_malformed_table_is_refused():
    broken = copy.deepcopy(TABLE)
    broken["documents"]["i-94"]["es"] = " "
    with pytest.raises(ValueError, match="i-94"):
        build_table(broken)
    twice = copy.deepcopy(TABLE)
    twice["documents"]["nta"]["aliases"].append("i-213")
    with pytest.raises(ValueError, match="two documents"):
        build_table(twice)


# -- labels ------------------------------------------------------------------------------------
def test_declaration_and_interview_labels_agree_with_the_client():
    assert source_label("paragraph:4", "en") == f"Declaration of the respondent, ¶{NBSP}4"
    assert source_label("paragraph:4", "es") == f"Declaración del demandado(a), párr.{NBSP}4"
    assert source_label("paragraph:4", "es", gender="female").startswith("Declaración de la demandada,")
    assert source_label("paragraph:4", "es", gender="Male").startswith("Declaración del demandado,")
    assert source_label(f"interview:{INTERVIEW_ID}", "en") == "Respondent's interview with counsel"
    assert source_label("interview", "es", gender="mujer") == (
        "Entrevista de la demandada con su representante legal"
    )
    assert source_label("exhibit:C", "es") == f"Anexo{NBSP}C"


def test_paragraphs_become_one_label_and_duplicates_go(ana):
    event = next(e for e in ana["events"] if e["id"] == "ev-arrival")
    event["sources"] = [
        "paragraph:9",
        "paragraph:2",
        "interview:a-1",
        "interview",
        "document:solvencia",
        "document:constancia-antecedentes",
    ]
    row = next(r for r in timeline_rows(ana, "en") if r.event_id == "ev-arrival")
    assert row.source_labels == (
        f"Declaration of the respondent, ¶¶{NBSP}2, 9",
        "Respondent's interview with counsel",
        DOCUMENTS["solvencia"]["en"],
    )


def test_exhibit_references():
    refs = {
        "document:i-213": ExhibitRef("B", 3),
        "declaration": ExhibitRef("A"),
        "solvencia": ExhibitRef("D"),
    }
    i213 = source_label("document:i-213", "en", exhibits=refs)
    assert i213 == f"Form I-213, Record of Deportable/Inadmissible Alien (Ex.{NBSP}B, p.{NBSP}3)"
    assert source_label("paragraph:4", "en", exhibits=refs) == (
        f"Declaration of the respondent (Ex.{NBSP}A), ¶{NBSP}4"
    )
    assert source_label("paragraph:4", "es", exhibits=refs, gender="f") == (
        f"Declaración de la demandada (Anexo{NBSP}A), párr.{NBSP}4"
    )
    # A reference given for one name of a document holds for its aliases.
    assert source_label("document:antecedentes-policiales", "en", exhibits=refs).endswith(f"(Ex.{NBSP}D)")
    assert source_label("document:i-94", "en", exhibits=refs) == DOCUMENTS["i-94"]["en"]


def test_parse_exhibit_ref_and_its_errors():
    assert parse_exhibit_ref("i-213=B:3") == ("i-213", ExhibitRef("B", 3))
    assert parse_exhibit_ref(" Declaration = A ") == ("declaration", ExhibitRef("A"))
    for bad in ("i-213", "=B", "i-213=", "i-213=B:x", "i-213=B:0", "i-213=:3"):
        with pytest.raises(ValueError):
            parse_exhibit_ref(bad)
    with pytest.raises(ValueError):
        ExhibitRef(" ")


def test_unknown_slugs_are_humanized_and_reported(ana):
    assert humanize_slug("hospital-record") == "Hospital record"
    assert humanize_slug("police_file-2") == "Police file 2"
    assert source_label(f"document:{UNKNOWN}", "es") == "Hospital record"
    assert unknown_sources(ana) == []
    ana["events"][0]["sources"] += [f"document:{UNKNOWN}", "document:solvencia"]
    ana["events"][1]["sources"] += [f"document:{UNKNOWN}", "document:x-ray"]
    assert unknown_sources(ana) == [f"document:{UNKNOWN}", "document:x-ray"]


def test_references_are_part_of_the_content_fingerprint(ana):
    plain = timeline_content(ana, "en")
    assert "exhibits" not in plain  # without references the content (and its hash) is as before
    refs = {"i-213": ExhibitRef("B", 3)}
    content = timeline_content(ana, "en", exhibits=refs)
    assert content["exhibits"] == {"i-213": {"letter": "B", "page": 3}}
    base = content_fingerprint(ana, "en")
    with_ref = content_fingerprint(ana, "en", exhibits=refs)
    assert with_ref != base
    assert content_fingerprint(ana, "en", exhibits={"i-213": ExhibitRef("B", 4)}) != with_ref
    assert content_fingerprint(ana, "en", exhibits={"document:i-213": ExhibitRef("B", 3)}) == with_ref


# -- no id reaches a PDF -----------------------------------------------------------------------
def _expected_labels(lang: str) -> list[str]:
    """What each kind of source must read as, from the table (Ana is a woman)."""
    declaration = {
        "en": f"Declaration of the respondent, ¶{NBSP}4",
        "es": f"Declaración de la demandada, párr.{NBSP}4",
    }
    interview = TABLE["kinds"]["interview"]["es_female" if lang == "es" else "en"]
    exhibit = {"en": "Ex. C", "es": "Anexo C"}[lang]
    page = {"en": "p. ", "es": "pág. "}[lang]
    vault = [
        f"{DOCUMENTS['i-213'][lang]}, {page}3",  # the kind's court label, and the page
        "Solvencia PNC 2023",  # no official form for the kind: the title
        f"{DOCUMENTS['other'][lang]}, {page}2",  # a UUID naming no document of the case
    ]
    return [
        declaration[lang],
        interview,
        exhibit,
        "Hospital record",
        *(e[lang] for e in DOCUMENTS.values()),
        *vault,
    ]


def _assert_no_ids(text: str, case: dict, labels: list[str]) -> None:
    words = _words(text)
    for marker in ("document:", "paragraph:", "interview:", "exhibit:"):
        assert marker not in words, marker
    assert INTERVIEW_ID not in _squash(text)
    for document in case.get("documents") or []:
        assert document["id"] not in _squash(text), document["id"]
    assert STRAY_UUID not in _squash(text) and STRAY_UUID[:8] not in _squash(text)
    for event in case["events"]:
        assert not _has_token(words, event["id"]), event["id"]
    slugs = {
        t.partition(":")[2]
        for e in case["events"]
        for t in e.get("sources") or []
        if t.startswith("document:")
    }
    label_text = " ".join(labels)
    for slug in slugs:
        if _has_token(label_text, slug):  # a word of its own label ("solvencia" in Spanish)
            continue
        assert not _has_token(words, slug), slug
        if "-" in slug:  # a slug split over two lines of a narrow cell would still show this way
            assert slug not in _squash(text), slug


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_kind_of_source_prints_its_label_and_no_id(ana, lang, tmp_path, pdf):
    case = _every_kind_case(ana)
    path = pdf.write(tmp_path, render_timeline(case, lang, exhibit_label="Exhibit C"), f"every-{lang}.pdf")
    text = _raw_text(pdf, path)
    labels = _expected_labels(lang)
    squashed = _squash(text)
    for label in labels:
        assert _squash(label) in squashed, label
    _assert_no_ids(text, case, labels)
    # Short references never break inside: no line ends in "¶", "Ex.", "párr.", "Anexo".
    for line in text.splitlines():
        assert not re.search(r"(¶|\bEx\.|\bpárr\.|\bAnexo)\s*$", line), line


@pytest.mark.parametrize(
    ("lang", "i213", "declaration"),
    [
        (
            "en",
            "Form I-213, Record of Deportable/Inadmissible Alien (Ex. B, p. 3)",
            "respondent (Ex. A), ¶ 4",
        ),
        (
            "es",
            "Formulario I-213, Registro de extranjero deportable/inadmisible (Anexo B, pág. 3)",
            "demandada (Anexo A), párr. 4",
        ),
    ],
)
def test_exhibit_references_in_the_pdf(ana, lang, i213, declaration, tmp_path, pdf):
    case = _every_kind_case(ana)
    refs = {"i-213": ExhibitRef("B", 3), "declaration": ExhibitRef("A")}
    path = pdf.write(tmp_path, render_timeline(case, lang, exhibits=refs))
    text = _raw_text(pdf, path)
    assert _squash(i213) in _squash(text)
    assert declaration in _words(text)
    _assert_no_ids(text, case, _expected_labels(lang))


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_example_timelines_and_declarations_print_no_ids(path, tmp_path, pdf):
    from desktop.documents.declaration import render_declaration

    case = json.loads(path.read_text(encoding="utf-8"))
    labels = [
        source_label(t, lang, gender=(case.get("client") or {}).get("gender"))
        for e in case["events"]
        for t in e.get("sources") or []
        for lang in ("en", "es")
    ]
    for lang in ("en", "es"):
        text = _raw_text(pdf, pdf.write(tmp_path, render_timeline(case, lang), f"t-{lang}.pdf"))
        _assert_no_ids(text, case, labels)
        if (case.get("declaration") or {}).get("paragraphs"):
            text = _raw_text(pdf, pdf.write(tmp_path, render_declaration(case, lang), f"d-{lang}.pdf"))
            _assert_no_ids(text, case, labels)


def test_vault_document_labels_pages_and_exhibits():
    from desktop.documents.source_labels import document_entries, labels_for, unknown_document_slugs

    documents = document_entries({"documents": VAULT_DOCUMENTS})
    tokens = ["document:doc-1a2b3c4d#p3", "document:doc-1a2b3c4d", "document:doc-5e6f7a8b#p12"]
    i213 = DOCUMENTS["i-213"]["en"]
    assert labels_for(tokens, "en", documents=documents) == (
        f"{i213}, p.{NBSP}3",
        i213,
        f"Solvencia PNC 2023, p.{NBSP}12",
    )
    refs = {"doc-1a2b3c4d": ExhibitRef("D"), "document:doc-5e6f7a8b": ExhibitRef("E", 7)}
    assert labels_for(tokens, "es", documents=documents, exhibits=refs) == (
        f"{DOCUMENTS['i-213']['es']}, pág.{NBSP}3 (Anexo{NBSP}D)",
        f"{DOCUMENTS['i-213']['es']} (Anexo{NBSP}D)",
        f"Solvencia PNC 2023, pág.{NBSP}12 (Anexo{NBSP}E, pág.{NBSP}7)",
    )
    # Without the case's documents a vault id still never prints.
    assert labels_for([f"document:{STRAY_UUID}"], "en") == (DOCUMENTS["other"]["en"],)
    assert unknown_document_slugs(tokens + [f"document:{STRAY_UUID}"], documents=documents) == []


# -- the command line ----------------------------------------------------------------------------
def test_cli_exhibit_refs_and_unknown_source_warning(tmp_path, ana, pdf, run, capsys):
    ana["events"][0]["sources"].append(f"document:{UNKNOWN}")
    case_path = tmp_path / "ana.json"
    case_path.write_text(json.dumps(ana), encoding="utf-8")
    vault = tmp_path / "v"
    assert run("vault", "init", vault)[0] == 0
    assert run("case", "import", vault, case_path)[0] == 0
    out = tmp_path / "t.pdf"
    code, _out, err = run(
        "timeline",
        vault,
        "A201555014",
        "--lang",
        "en",
        "--out",
        out,
        "--exhibit-ref",
        "i-213=B:3",
        "--exhibit-ref",
        "declaration=A",
    )
    assert code == 0, err
    assert f"their names are printed as words: {UNKNOWN}" in err
    text = _raw_text(pdf, out)
    assert _squash("Inadmissible Alien (Ex. B, p. 3)") in _squash(text)
    assert "Declaration of the respondent (Ex. A), ¶ 1" in _words(text)
    assert "Hospital record" in _words(text)
    code, _out, err = run(
        "timeline", vault, "A201555014", "--lang", "en", "--out", out, "--exhibit-ref", "i-213"
    )
    assert code == 2 and "SOURCE=LETTER" in err + capsys.readouterr().err


def test_a_document_linked_to_an_event_is_one_of_its_sources_in_the_exhibit(tmp_path, passphrase):
    """Documents tab → Link to… an event: the exhibit's Source column names the document (by its
    title or its form's name), never its id, and once only when the event also cites it by page."""
    from bench.scans import line_pdf
    from desktop.case.casefile import export_case
    from desktop.case.store import CaseStore
    from desktop.documents.timeline import timeline_rows
    from desktop.evidence.service import DocumentService
    from desktop.vault import keyheader as kh
    from desktop.vault.database import create_vault

    with create_vault(tmp_path / "v", passphrase, kh.unsafe_test_policy()) as vault:
        store = CaseStore(vault)
        client = store.create("client", {"given_names": "Nelson", "family_names": "Prueba"})
        event = store.create(
            "event",
            {"date": "2024-05-02", "category": "border", "status": "documented", "text": {"en": "Arrest."}},
            client_id=client.id,
        )
        docs = DocumentService(store)
        i213 = docs.add(client.id, line_pdf("I-213"), filename="i213.pdf", kind="i213", language="en")
        docs.link(i213.id, event=event.id)
        case = export_case(store, client.id, documents=None)
        (row,) = timeline_rows(case, "en")
        assert row.source_labels == ("Form I-213, Record of Deportable/Inadmissible Alien",)
        store.update(event.id, {**store.get(event.id).data, "sources": [f"document:{i213.id}#p1"]})
        case = export_case(store, client.id, documents=None)
        (row,) = timeline_rows(case, "en")
        assert row.source_labels == ("Form I-213, Record of Deportable/Inadmissible Alien, p.\u00a01",)
        assert all(i213.id not in label for label in row.source_labels)
