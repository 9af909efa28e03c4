"""``declara --self-test``: check that this installation (a source checkout or a frozen bundle) has
everything it needs, without touching the user's data.

The Qt-free checks live here; ``ui.selftest`` adds the Qt ones (window, Qt's Spanish, QtPdf). Each
check returns a short description of what it verified, or raises. The vault check uses a throwaway
vault in a temporary folder, removed afterwards, with the cheap test-only key derivation
(``unsafe_test_policy``): the self-test checks that the pieces load and work, not the KDF's cost.
"""

from __future__ import annotations

import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

Check = tuple[str, Callable[[], str]]


class SelfTestFailure(Exception):
    pass


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise SelfTestFailure(message)


class State:
    """What one check hands on to the next (the exported case, the rendered PDFs)."""

    def __init__(self) -> None:
        self.case: dict[str, Any] | None = None
        self.pdfs: dict[str, bytes] = {}


def check_resources() -> str:
    from desktop.paths import locale_dir, project_root, resource_path

    needed = [
        resource_path("style", "declara.qss"),
        resource_path("icons", "declara.svg"),
        resource_path("fonts", "LiberationSerif-Regular.ttf"),
        resource_path("data", "README.md"),
        locale_dir() / "es" / "LC_MESSAGES",
    ]
    missing = [str(p) for p in needed if not p.exists()]
    _require(not missing, f"missing: {', '.join(missing)}")
    frozen = "frozen bundle" if getattr(sys, "frozen", False) else "source checkout"
    return f"resources found in {project_root()} ({frozen})"


def check_catalog() -> str:
    from desktop import i18n

    folder = i18n.locale_dir() / "es" / "LC_MESSAGES"
    source = "compiled .mo" if (folder / "declara.mo").exists() else ".po compiled in memory"
    i18n.get_translations.cache_clear()
    t = i18n.translator("es")
    got = t("About Declara")
    _require(got == "Acerca de Declara", f"'About Declara' came out as {got!r}")
    return f"Spanish catalog loaded ({source}): 'About Declara' -> '{got}'"


def check_passphrase() -> str:
    from desktop.vault.passphrase import assess

    weak, strong = assess("password1234"), assess("violet harbor lantern quietly 42")
    _require(weak.score < strong.score, "zxcvbn does not tell a weak passphrase from a strong one")
    return f"zxcvbn frequency lists loaded (scores {weak.score} and {strong.score})"


def check_schema() -> str:
    from desktop.case.model import case_schema

    schema = case_schema()
    _require(isinstance(schema, dict) and "properties" in schema, "the case schema has no properties")
    return f"case schema loaded ({schema.get('$id') or schema.get('title') or 'untitled'})"


def check_questionnaire() -> str:
    from desktop.interview import questionnaire

    q = questionnaire.load_questionnaire()
    sections = getattr(q, "sections", ())
    _require(len(sections) > 0, "the intake questionnaire has no sections")
    return f"intake questionnaire loaded ({len(sections)} sections)"


def check_facilities() -> str:
    from desktop.case.facilities import load_facilities

    rows = load_facilities()
    _require(len(rows) == 242, f"expected 242 facilities, found {len(rows)}")
    return f"facility list loaded ({len(rows)} rows)"


def check_vault(state: State) -> str:
    from desktop.vault import keyheader as kh
    from desktop.case.casefile import export_case, import_case, read_case_file
    from desktop.paths import resource_path
    from desktop.case.store import CaseStore
    from desktop.vault.database import create_vault, open_vault, unlock

    policy = kh.unsafe_test_policy()
    passphrase = "self test " + secrets.token_urlsafe(18)
    folder = Path(tempfile.mkdtemp(prefix="declara-selftest-"))
    try:
        path = folder / "selftest.declara"
        doc = read_case_file(resource_path("examples", "case-maria.json"))
        with create_vault(path, passphrase, policy) as vault:
            store = CaseStore(vault)
            with vault.transaction():
                token = import_case(store, doc)
        key = unlock(path, passphrase, policy)
        with open_vault(path, key) as vault:
            store = CaseStore(vault)
            state.case = export_case(store, token)
            problems = vault.check()
        _require(not problems, f"integrity check: {problems[:3]}")
        client = state.case["client"]
        _require(client["given_names"] == doc["client"]["given_names"], "the case read back differs")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    _require(not folder.exists(), f"the throwaway vault {folder} was not removed")
    return (
        "created, unlocked, written, read, integrity checks passed "
        f"(demo case {client['given_names']}; throwaway vault, test-only cheap KDF, removed)"
    )


def _check_pdf(pdf: bytes, what: str) -> None:
    _require(pdf.startswith(b"%PDF-"), f"the {what} PDF does not start with %PDF-")
    _require(b"LiberationSerif" in pdf, f"the {what} PDF does not embed Liberation Serif")


def check_declaration(state: State) -> str:
    from desktop.documents.declaration import render_declaration

    _require(state.case is not None, "no case (the vault check failed)")
    pdf = render_declaration(state.case, "es")
    _check_pdf(pdf, "declaration")
    state.pdfs["declaration"] = pdf
    return f"declaration PDF rendered in memory (Spanish, {len(pdf):,} bytes, Liberation Serif embedded)"


def check_timeline(state: State) -> str:
    from desktop.documents.timeline import render_timeline

    _require(state.case is not None, "no case (the vault check failed)")
    pdf = render_timeline(state.case, "en", exhibit_label="Exhibit A")
    _check_pdf(pdf, "timeline")
    state.pdfs["timeline"] = pdf
    return f"timeline PDF rendered in memory (English, {len(pdf):,} bytes, Liberation Serif embedded)"


def check_documents(state: State) -> str:
    """The evidence libraries the bundle must carry: qpdf (pikepdf) reads a PDF, PDFium
    (pypdfium2) draws its first page and reads its text, Pillow encodes the page; all in memory."""
    import io

    from desktop.evidence import ocr
    from desktop.evidence.intake import inspect_bytes
    from desktop.evidence.pages import page_texts, render_page

    pdf = state.pdfs.get("timeline")
    _require(pdf is not None, "no PDF to read (the timeline check failed)")
    assert pdf is not None
    intake = inspect_bytes(pdf, "selftest.pdf")
    _require(intake.media == "pdf" and intake.pages >= 1, "qpdf did not read the timeline PDF")
    _require("Chronology" in " ".join(page_texts(pdf, "pdf")), "PDFium found no text on the timeline PDF")
    image = render_page(pdf, "pdf", 0, dpi=50).convert("L")
    dark = sum(1 for value in image.getdata() if value < 100)
    _require(dark > 50, "PDFium drew a blank page")
    image.save(io.BytesIO(), "PNG")
    reading = "OCR available" if ocr.available() else "OCR not available on this machine (tesseract)"
    return (
        f"a PDF read by qpdf, drawn and its text read by PDFium "
        f"({intake.pages} pages, {dark} dark pixels); {reading}"
    )


def check_requests(state: State) -> str:
    """The request tables (every fact with its source) and a letter as PDF and DOCX (python-docx
    and its template must be in the bundle)."""
    import datetime as dt
    import io
    import zipfile

    from desktop.requests import tables
    from desktop.requests.letters import LetterInput, foia_letter
    from desktop.requests.render import letter_docx, letter_pdf

    facts = tables.all_facts()
    _require(all(fact.source for _where, fact in facts), "a fact of the request tables has no source")
    _require(state.case is not None, "no case (the vault check failed)")
    assert state.case is not None
    client = {**state.case["client"], "proceedings": state.case.get("proceedings")}
    data = LetterInput(client=client, today=dt.date(2026, 12, 7))
    pdf = letter_pdf(foia_letter(data, "CBP", "en"))
    _check_pdf(pdf, "FOIA letter")
    document = letter_docx(foia_letter(data, "ICE", "es"))
    members = zipfile.ZipFile(io.BytesIO(document)).namelist()
    _require("word/document.xml" in members, "the DOCX is not Word's")
    return (
        f"{len(facts)} facts of the request tables, each with its source; a FOIA letter as PDF "
        f"({len(pdf):,} bytes) and as DOCX ({len(document):,} bytes)"
    )


def check_custody(state: State) -> str:
    """The custody tables (authorities, legal points, field offices, each fact with its source) and
    a statement of facts as PDF from the demo case's custody record."""
    import datetime as dt

    from desktop.custody import law
    from desktop.custody.drafts import CustodyInput, habeas_facts
    from desktop.custody.record import summarize
    from desktop.requests.render import letter_pdf

    offices = {id(o): o for o in law.field_offices().values()}.values()
    facts = [f for a in law.authorities().values() for f in a.facts.values()] + list(law.points().values())
    facts += [f for o in offices for f in o.facts.values()]
    _require(all(f.source for f in facts), "a fact of the custody tables has no source")
    _require(state.case is not None, "no case (the vault check failed)")
    assert state.case is not None
    today = dt.date(2026, 12, 7)
    events = [(str(i), e) for i, e in enumerate(state.case.get("custody_events") or [])]
    data = CustodyInput(client=state.case["client"], summary=summarize(events, today), today=today)
    pdf = letter_pdf(habeas_facts(data))
    _check_pdf(pdf, "statement of facts")
    return (
        f"{len(facts)} facts of the custody tables, each with its source; "
        f"a statement of facts ({len(pdf):,} bytes)"
    )


def check_import_workers() -> str:
    """A large sync file's lines are checked in forked worker processes (desktop.sync.checker):
    in the bundle too, they start, check and answer as the importing process would."""
    import json
    import sys
    import uuid

    from desktop.sync import checker

    lines = []
    for i in range(40):
        rid = str(uuid.UUID(int=i + 1))
        lines.append(json.dumps({
            "id": rid, "kind": "client", "client_id": rid, "parent_id": None, "position": 0, "ref": None,
            "data": {"given_names": f"Ana {i}", "family_names": "Fictitia"}, "rev": 1,
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
            "origin": str(uuid.UUID(int=999)), "deleted": False,
        }))  # fmt: skip
    data = ("\n".join(lines) + "\n").encode()
    alone = list(checker.checked(iter([data]), workers=0))
    _require(len(alone) == 40, f"{len(alone)} of 40 lines checked")
    if not sys.platform.startswith("linux"):
        return "40 lines checked (no worker processes on this system)"
    forked = list(checker.checked(iter([data]), workers=1))
    _require(forked == alone, "a worker process checked the lines differently")
    return "40 lines checked by a forked worker process, as by the importing process"


def core_checks(state: State) -> list[Check]:
    return [
        ("resources", check_resources),
        ("catalog", check_catalog),
        ("passphrase", check_passphrase),
        ("schema", check_schema),
        ("questionnaire", check_questionnaire),
        ("facilities", check_facilities),
        ("vault", lambda: check_vault(state)),
        ("declaration", lambda: check_declaration(state)),
        ("timeline", lambda: check_timeline(state)),
        ("documents", lambda: check_documents(state)),
        ("request letters", lambda: check_requests(state)),
        ("custody", lambda: check_custody(state)),
        ("import workers", check_import_workers),
    ]


def run_checks(checks: Iterable[Check], out: TextIO) -> bool:
    """Run every check (after a failure too), print one line each; True when all passed."""
    ok = True
    for name, fn in checks:
        start = time.perf_counter()
        try:
            detail = fn()
        except Exception as exc:  # noqa: BLE001 - report every failure the same way
            ok = False
            print(f"FAIL {name}: {type(exc).__name__}: {exc}", file=out, flush=True)
            continue
        ms = (time.perf_counter() - start) * 1000
        print(f"ok   {name}: {detail} [{ms:.0f} ms]", file=out, flush=True)
    return ok


def main(out: TextIO | None = None, extra: Callable[[State], list[Check]] | None = None) -> int:
    """The whole self-test; 0 when every check passed, else 1. ``extra`` adds checks (the Qt ones)."""
    from desktop import __version__

    out = out or sys.stdout
    start = time.perf_counter()
    print(f"Declara {__version__} self-test (Python {sys.version.split()[0]})", file=out, flush=True)
    state = State()
    checks = core_checks(state)
    if extra is not None:
        checks += extra(state)
    ok = run_checks(checks, out)
    elapsed = time.perf_counter() - start
    verdict = "all checks passed" if ok else "SOME CHECKS FAILED"
    print(f"{verdict} in {elapsed:.1f} s", file=out, flush=True)
    return 0 if ok else 1
