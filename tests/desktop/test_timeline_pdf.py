"""The chronology exhibit PDF, read back with poppler (pdftotext, pdfinfo, pdffonts, pdftohtml).

Checks what a judge, DHS counsel or an ECAS upload would see: events in chronological order with
dates at their real precision, the client's name, A-number and "Page N of M" on every page, the
caption with DETAINED, embedded Liberation fonts, metadata and bookmarks, no encryption, the
content fingerprint on the last page; and that rendering leaves the interface language alone.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop import i18n
from desktop.documents.layout import MARGIN
from desktop.documents.timeline import (
    content_fingerprint,
    render_timeline,
    source_label,
    timeline_content,
    timeline_rows,
)

REPO = Path(__file__).resolve().parents[2]
NAME = "Ana Lucía Pérez Gómez"
A_NUMBER = "A 201-555-014"


# -- helpers -----------------------------------------------------------------------------------
def _pages(pdf, path: Path) -> list[str]:
    """The text of each page (pdftotext ends every page with a form feed)."""
    return pdf.layout_text(path).split("\f")[:-1]


def _column(pdf, path: Path, index: int) -> str:
    """One column of the table (0 = No., 1 = Date, …), wrapped lines joined into one text."""
    from desktop.documents.timeline_pdf import COLUMN_WIDTHS

    x = MARGIN + sum(COLUMN_WIDTHS[:index])
    text = pdf.run("pdftotext", "-x", int(x), "-y", 0, "-W", int(COLUMN_WIDTHS[index]), "-H", 792, path, "-")
    return " ".join(text.split())


DATE, SOURCE = 1, 4


@pytest.fixture
def ana(ana_path: Path) -> dict:
    return json.loads(ana_path.read_text(encoding="utf-8"))


@pytest.fixture
def ana_pdfs(ana: dict, tmp_path: Path, pdf) -> dict[str, Path]:
    return {
        lang: pdf.write(
            tmp_path,
            render_timeline(ana, lang, exhibit_label="Exhibit C", author="Test Attorney"),
            f"ana-{lang}.pdf",
        )
        for lang in ("en", "es")
    }


# -- content -----------------------------------------------------------------------------------
ENGLISH_ORDER = [
    "Ana is born in Usulután",
    "open a small",
    "begin demanding",
    "reports the extortion",
    "state-of-exception sweep",
    "threaten to take her son",
    "leaves El Salvador",
    "Border Patrol arrests",
    "Agents separate Mateo",
    "transferred to the South Texas",
    "Bond is denied",
]


def test_english_events_in_chronological_order_with_real_precision(ana_pdfs, pdf):
    text = pdf.layout_text(ana_pdfs["en"])
    table = text[text.index("Table of events") :]
    positions = pdf.positions(table, ENGLISH_ORDER)
    assert positions == sorted(positions)
    dates = _column(pdf, ana_pdfs["en"], DATE)
    for phrase in (
        "March 12, 1994",
        "around 2015",
        "between March and May 2021",  # stored as "2021-21" in the past: said as its months
        "March 2022",
        "between November 2023 and January 2024",
        "April 29, 2024",
    ):
        assert phrase in dates
    # Never an invented day: the month, season and year events have none.
    assert "March 1, 2022" not in dates and "January 1, 2015" not in dates
    assert "Usulután" in text and "pupusería" in text  # accents extract as typed
    sources = _column(pdf, ana_pdfs["en"], SOURCE)
    assert "Declaration of the respondent, ¶ 1; Birth certificate" in sources
    assert "Declaration of the respondent, ¶ 9; Form I-213, Record of" in sources
    assert "Declaration of the respondent, ¶ 3; Respondent's interview with counsel" in sources
    assert "Order of the immigration judge on custody (bond)" in sources
    assert "birth-certificate" not in sources and "i-213" not in sources and "bond-order" not in sources


def test_spanish_text_headers_and_phrases(ana_pdfs, pdf):
    text = pdf.layout_text(ana_pdfs["es"])
    for word in ("Cronología de hechos", "Tabla de hechos", "N.º", "Fecha", "Hecho", "Lugar", "Fuente"):
        assert word in text, word
    assert "DETENIDO(A)" in text and "En el asunto de:" in text
    table = text[text.index("Tabla de hechos") :]
    positions = pdf.positions(
        table, ["Ana nace en Usulután", "abren una pequeña", "Ana denuncia la", "Se niega la fianza"]
    )
    assert positions == sorted(positions)
    dates = _column(pdf, ana_pdfs["es"], DATE)
    for phrase in ("12 de marzo de 1994", "alrededor de 2015", "entre marzo y mayo de 2021", "marzo de 2022"):
        assert phrase in dates
    assert "entre noviembre de 2023 y enero de 2024" in dates
    assert (  # Ana is a woman: "demandada"
        "Declaración de la demandada, párr. 3; Entrevista de la demandada con su representante legal"
        in _column(pdf, ana_pdfs["es"], SOURCE)
    )
    assert "pupusería" in text and "Usulután" in text
    assert "Exhibit C" in text  # the caller's label, never translated


def test_every_page_carries_name_a_number_and_page_n_of_m(ana_pdfs, pdf):
    for lang, template in (("en", "Page {n} of {m}"), ("es", "Página {n} de {m}")):
        pages = _pages(pdf, ana_pdfs[lang])
        total = int(pdf.info(ana_pdfs[lang])["Pages"])
        assert len(pages) == total >= 2
        for n, page in enumerate(pages, start=1):
            assert NAME in page and A_NUMBER in page, (lang, n)
            assert template.format(n=n, m=total) in page, (lang, n)


def test_caption_says_detained_only_for_detained_clients(ana, tmp_path, pdf):
    text = pdf.layout_text(pdf.write(tmp_path, render_timeline(ana, "en")))
    assert "In the Matter of:" in text and "In Removal Proceedings" in text and "DETAINED" in text
    assert f"A-number: {A_NUMBER}" in text
    assert "Exhibit" not in text  # no label asked for
    ana["client"]["custody"]["status"] = "released"
    assert "DETAINED" not in pdf.layout_text(pdf.write(tmp_path, render_timeline(ana, "en")))


def test_fonts_embedded_liberation_only(ana_pdfs, pdf):
    for path in ana_pdfs.values():
        rows = pdf.run("pdffonts", path).splitlines()[2:]
        assert rows
        names = {row.split()[0].split("+")[-1] for row in rows}
        assert names >= {"LiberationSerif", "LiberationSans", "LiberationSerif-Bold", "LiberationSans-Bold"}
        assert all(name.startswith("Liberation") for name in names), names
        # columns: name type encoding emb sub uni object ID
        assert all(row.split()[-5] == "yes" for row in rows), rows


def test_metadata_not_encrypted_letter(ana_pdfs, pdf):
    info = pdf.info(ana_pdfs["en"])
    assert info["Title"] == f"Chronology of events — {NAME}"
    assert info["Author"] == "Test Attorney"
    assert info["Creator"] == "Declara"
    assert info["Subject"] == f"In the Matter of {NAME}, {A_NUMBER}, In Removal Proceedings"
    assert info["Encrypted"] == "no"
    assert info["Page size"].startswith("612 x 792")
    assert pdf.info(ana_pdfs["es"])["Title"] == f"Cronología de hechos — {NAME}"
    raw = ana_pdfs["en"].read_bytes()
    assert b"/Lang (en)" in raw and b"/Lang (es)" in ana_pdfs["es"].read_bytes()


def test_bookmarks_per_section(ana_pdfs, pdf):
    assert b"/Outlines" in ana_pdfs["en"].read_bytes()
    assert pdf.outline(ana_pdfs["en"]) == ["Chronology of events", "Timeline (to scale)", "Table of events"]
    assert pdf.outline(ana_pdfs["es"]) == [
        "Cronología de hechos",
        "Cronología gráfica (a escala)",
        "Tabla de hechos",
    ]


def test_fingerprint_on_the_last_page_only_and_recomputable(ana, ana_pdfs, pdf):
    for lang, label in (
        ("en", "Content fingerprint (SHA-256): "),
        ("es", "Huella del contenido (SHA-256): "),
    ):
        pages = _pages(pdf, ana_pdfs[lang])
        expected = content_fingerprint(ana, lang, exhibit_label="Exhibit C")
        assert re.fullmatch(r"[0-9a-f]{64}", expected)
        assert f"{label}{expected}" in pages[-1]
        assert all(label not in page for page in pages[:-1])
    english = content_fingerprint(ana, "en", exhibit_label="Exhibit C")
    assert content_fingerprint(ana, "es", exhibit_label="Exhibit C") != english
    assert content_fingerprint(ana, "en") != english
    ana["events"][0]["place"] = "San Miguel, El Salvador"
    assert content_fingerprint(ana, "en", exhibit_label="Exhibit C") != english


def test_content_is_what_the_document_says(ana):
    content = timeline_content(ana, "es", exhibit_label=" Exhibit C ")
    assert content["format"] == "declara-timeline" and content["version"] == 1
    assert content["language"] == "es" and content["exhibit_label"] == "Exhibit C"
    assert content["client"] == {"name": NAME, "a_number": "201555014", "detained": True}
    first = content["events"][0]
    assert first == {
        "number": 1,
        "date": "1994-03-12",
        "text": "Ana nace en Usulután.",
        "text_language": "es",
        "place": "Usulután, El Salvador",
        "category": "background",
        "status": "documented",
        "sources": ["paragraph:1", "document:birth-certificate"],
    }


def test_rows_sorted_by_bounds_then_file_order(ana):
    rows = timeline_rows(ana, "en")
    assert [r.number for r in rows] == list(range(1, 12))
    # Two events on 2024-04-29 keep the order of the file; the interval sorts by its start.
    ids = [r.event_id for r in rows]
    assert ids.index("ev-separation") + 1 == ids.index("ev-detention")
    assert ids.index("ev-threat") < ids.index("ev-flight")
    ana["events"].insert(0, {**ana["events"][0], "id": "ev-open", "date": "../2010", "sources": []})
    assert timeline_rows(ana, "en")[0].event_id == "ev-open"  # an open start sorts first


def test_source_labels():
    assert source_label("paragraph:4", "en") == "Declaration of the respondent, ¶\u00a04"
    assert source_label("exhibit:B", "en") == "Ex.\u00a0B"
    assert source_label("exhibit:B", "es") == "Anexo\u00a0B"
    assert source_label("document:i-213", "es") == (
        "Formulario I-213, Registro de extranjero deportable/inadmisible"
    )
    assert source_label("interview", "en") == "Respondent's interview with counsel"
    assert source_label("interview", "es") == "Entrevista del demandado(a) con su representante legal"


def test_own_paragraph_sources_merge_with_declaration_links(ana):
    event = next(e for e in ana["events"] if e["id"] == "ev-arrival")
    event["sources"] = ["paragraph:9", "paragraph:2", "interview:visit-1", "interview", "exhibit:D"]
    row = next(r for r in timeline_rows(ana, "en") if r.event_id == "ev-arrival")
    assert row.sources == ("paragraph:2", "paragraph:9", "interview", "exhibit:D")


def test_interface_language_unchanged(ana, tmp_path, pdf):
    i18n.set_language("en")
    spanish = pdf.layout_text(pdf.write(tmp_path, render_timeline(ana, "es")))
    assert i18n.current_language() == "en" and "Cronología de hechos" in spanish
    i18n.set_language("es")
    english = pdf.layout_text(pdf.write(tmp_path, render_timeline(ana, "en")))
    assert i18n.current_language() == "es" and "Chronology of events" in english


def test_unknown_language_refused(ana):
    with pytest.raises(ValueError):
        render_timeline(ana, "fr")


def test_no_events(ana, tmp_path, pdf):
    ana["events"] = []
    ana["declaration"] = None
    text = pdf.layout_text(pdf.write(tmp_path, render_timeline(ana, "en")))
    assert "No events in the chronology yet." in text and "Page 1 of 1" in text


def test_a_row_longer_than_a_page_splits_between_lines(ana, tmp_path, pdf):
    event = next(e for e in ana["events"] if e["id"] == "ev-police")
    event["text"]["en"] = " ".join(f"Sentence {i} of a long account." for i in range(400)) + " THE END."
    path = pdf.write(tmp_path, render_timeline(ana, "en"))
    pages = _pages(pdf, path)
    assert len(pages) > 3
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))
    assert all("Date" in page and "Source" in page for page in pages[1:])  # the header row repeats
    words = " ".join("".join(pages).split())
    assert "Sentence 399 of a long account. THE END." in words
    assert words.index("THE END.") < words.index("state-of-exception")  # the next row follows


def test_no_a_number(ana, tmp_path, pdf):
    del ana["client"]["a_number"]
    path = pdf.write(tmp_path, render_timeline(ana, "en"))
    assert pdf.info(path)["Subject"] == f"In the Matter of {NAME}, In Removal Proceedings"
    assert "A-number" not in pdf.layout_text(path)
    assert timeline_content(ana, "en")["client"]["a_number"] is None


def test_importing_the_module_does_not_import_reportlab():
    script = (
        "import sys\n"
        "import desktop.documents.timeline\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'reportlab')\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# -- many events -------------------------------------------------------------------------------
CATEGORIES = [
    "background",
    "persecution",
    "flight",
    "border",
    "detention",
    "separation",
    "allegation",
    "legal",
    "other",
]


def synthetic_case(base: dict, count: int = 300, seed: int = 2024) -> dict:
    """``base`` with ``count`` events of every precision; event i's texts carry the token Ei."""
    rng = random.Random(seed)
    events = []
    for i in range(count):
        year, month, day = rng.randint(1990, 2024), rng.randint(1, 12), rng.randint(1, 28)
        end = min(year + rng.randint(0, 3), 2024)
        date = [
            f"{year}-{month:02d}-{day:02d}",
            f"{year}-{month:02d}",
            f"{year}-{rng.randint(21, 24)}",
            f"{year}~",
            f"{year}-{month:02d}?",
            f"{year}-{month:02d}/{end}-12",
            f"[{year},{min(year + 1, 2024)}]",
            f"{year}/.." if i % 20 == 7 else f"../{year}",
            f"{year}-{month:02d}-{day:02d}%",
            f"{year}",
        ][i % 10]
        text = (
            {"en": f"Event E{i:03d}: a sentence long enough to wrap in its cell.", "es": f"Hecho E{i:03d}."}
            if i % 13
            else {"es": f"Solo en español E{i:03d}."}
        )
        events.append(
            {
                "id": f"ev-{i:03d}",
                "date": date,
                "place": f"Place {i % 17}",
                "category": CATEGORIES[i % len(CATEGORIES)],
                "text": text,
                "status": "client_account",
                "sources": ["interview", f"document:doc-{i}"] if i % 3 else ["exhibit:B"],
            }
        )
    paragraph = {"en": "Many things happened.", "es": "Pasaron muchas cosas.", "events": ["ev-000", "ev-007"]}
    return {**base, "events": events, "declaration": {**base["declaration"], "paragraphs": [paragraph]}}


def test_three_hundred_events(ana, tmp_path, pdf):
    case = synthetic_case(ana)
    started = time.perf_counter()
    first = render_timeline(case, "en", exhibit_label="Exhibit D")
    cold = time.perf_counter() - started
    started = time.perf_counter()
    render_timeline(case, "en", exhibit_label="Exhibit D")
    warm = time.perf_counter() - started
    path = pdf.write(tmp_path, first)
    pages = _pages(pdf, path)
    print(
        f"\n300 events: {len(pages)} pages, {len(first) // 1024} KiB; first render {cold:.2f} s"
        f" (includes parsing 300 EDTF values for the first time), again {warm:.2f} s"
    )
    assert len(pages) > 3
    for n, page in enumerate(pages, start=1):
        assert NAME in page and A_NUMBER in page and f"Page {n} of {len(pages)}" in page
    text = "".join(pages)
    expected = [int(r.event_id.split("-")[1]) for r in timeline_rows(case, "en")]
    shown = [int(m) for m in re.findall(r"\bE(\d{3})\b", text)]
    assert shown == expected  # every row once, in chronological order
    assert "[es] Solo en español E000." in " ".join(text.split())
    dates = _column(pdf, path, DATE)
    for phrase in ("until ", "since ", "around ", "(uncertain)", "between ", " or "):
        assert phrase in dates, phrase
    # legacy season codes are said as their months, never as a season word
    assert "spring" not in dates and "winter" not in dates and "between December" in dates
    sources = _column(pdf, path, SOURCE)
    assert "Declaration of the respondent, ¶ 1" in sources and "Ex. B" in sources
    assert (
        f"Content fingerprint (SHA-256): {content_fingerprint(case, 'en', exhibit_label='Exhibit D')}"
        in pages[-1]
    )


# -- command line ------------------------------------------------------------------------------
def test_cli_writes_the_pdf_0600(tmp_path, ana_path, pdf, run):
    vault = tmp_path / "v"
    assert run("vault", "init", vault)[0] == 0
    assert run("case", "import", vault, ana_path)[0] == 0
    out = tmp_path / "out" / "exhibit-c.pdf"
    out.parent.mkdir()
    code, stdout, err = run(
        "timeline",
        vault,
        "A201555014",
        "--lang",
        "es",
        "--out",
        out,
        "--exhibit",
        "Anexo C",
        "--author",
        "R. Medina",
    )
    assert code == 0, err
    assert stdout == "" and "not encrypted" in err
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert os.listdir(out.parent) == ["exhibit-c.pdf"]  # no temporary file left behind
    assert out.read_bytes().startswith(b"%PDF-")
    text = pdf.layout_text(out)
    assert "Cronología de hechos" in text and "Anexo C" in text and "Página 1 de" in text
    assert pdf.info(out)["Author"] == "R. Medina"


def test_cli_messages_and_document_languages_are_separate(tmp_path, ana_path, pdf, run):
    vault = tmp_path / "v"
    run("vault", "init", vault)
    run("case", "import", vault, ana_path)
    out = tmp_path / "t.pdf"
    code, _, err = run("--lang", "es", "timeline", vault, "201555014", "--lang", "en", "--out", out)
    assert code == 0 and "No está cifrado" in err
    assert "Chronology of events" in pdf.layout_text(out)


def test_cli_errors(tmp_path, ana_path, capsys, run):
    vault = tmp_path / "v"
    run("vault", "init", vault)
    out = tmp_path / "t.pdf"
    assert run("timeline", vault, "A 201-555-014", "--out", out)[0] == 2  # the language is required
    assert "--lang" in capsys.readouterr().err
    code, _, err = run("timeline", vault, "A 201-555-014", "--lang", "en", "--out", out)
    assert code == 1 and "No client" in err and "Traceback" not in err
    assert not out.exists()
