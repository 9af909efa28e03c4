"""``declara packet``: the default packet, --exhibits, --limit-mb, the files 0600, the notice that
they are not encrypted, and refusals with one message. Fictional client (tests/data)."""

from __future__ import annotations

import datetime as dt
import stat
import subprocess

import pytest

from bench.scans import i213_pdf_with_text, line_pdf, scanned_pdf

ANA = "A201555014"
ADDRESS = "DHS Office of the Principal Legal Advisor, 566 Veterans Drive, Pearsall, TX 78061"


def pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


@pytest.fixture
def vault(tmp_path, run, ana_path, passphrase, policy):
    """Ana's vault: a signed declaration, an I-213 and a FOIA scan linked to her allegation, and a
    Spanish letter without translation (not linked)."""
    from desktop.case.store import CaseStore
    from desktop.drafting.declarations import DeclarationService
    from desktop.evidence.service import DocumentService
    from desktop.vault.database import open_vault, unlock

    path = tmp_path / "v.declara"
    assert run("vault", "init", path)[0] == 0
    assert run("case", "import", path, ana_path)[0] == 0
    store = CaseStore(open_vault(path, unlock(path, passphrase, policy)))
    with store.vault:
        client = store.resolve_client(ANA).id
        DeclarationService(store).sign(
            client,
            dt.date(2026, 11, 2),
            place={"city": "Pearsall", "region": "Texas", "country": "US"},
            interpreter={"name": "Rosa Medina", "address": "100 Example St.", "phone": "(210) 555-0134"},
        )
        docs = DocumentService(store)
        allegation = store.children(client, "allegation")[0].id
        i213 = docs.add(client, i213_pdf_with_text(), title="Form I-213", kind="i213", language="en")
        foia = docs.add(
            client,
            scanned_pdf(6, target_bytes=2_400_000),
            title="FOIA response",
            kind="foia_response",
            language="en",
        )
        for document in (i213, foia):
            docs.link(document.id, allegation=allegation)
        letter = docs.add(client, line_pdf("Carta de apoyo"), title="Carta de apoyo", language="es")
        ids = {"i213": i213.id, "foia": foia.id, "letter": letter.id}
    return path, ids


@pytest.fixture
def out(tmp_path):
    folder = tmp_path / "filing"
    folder.mkdir()
    return folder


def test_default_packet_written_0600_with_ranges_and_the_notice(run, vault, out):
    path, _ids = vault
    code, stdout, stderr = run(
        "packet", path, ANA, "--out", out, "--served-on", ADDRESS, "--attorney", "Elena Ruiz"
    )
    assert code == 0, stderr
    files = sorted(out.iterdir())
    assert [f.name for f in files] == ["Ana_Lucia_Perez_Gomez_Evidence.pdf"]
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    text = pdf_text(files[0])
    for words in (
        "Exhibit A",
        "Exhibit B",
        "Exhibit C",
        "Exhibit D",
        "Record of Deportable",
        "566 Veterans Drive",
    ):
        assert words in text
    assert "Exhibit E" not in text  # the unlinked Spanish letter is not a default exhibit
    pages = int(text.rsplit("Page ", 1)[1].split(" of ")[1].split()[0])
    assert f"{files[0]}: pages 1–{pages}" in stdout
    assert "not encrypted" in stderr


def test_the_address_is_remembered_for_the_court(run, vault, out, tmp_path):
    path, _ids = vault
    assert run("packet", path, ANA, "--out", out, "--served-on", ADDRESS)[0] == 0
    again = tmp_path / "again"
    again.mkdir()
    code, _stdout, stderr = run("packet", path, ANA, "--out", again, "--exhibits", "timeline")
    assert code == 0, stderr
    text = pdf_text(next(again.iterdir()))
    assert "566 Veterans Drive" in text and "Exhibit A" in text and "Exhibit B" not in text


def test_exhibits_in_the_order_given_and_split_by_limit(run, vault, out):
    path, ids = vault
    code, stdout, stderr = run(
        "packet", path, ANA, "--out", out, "--served-on", ADDRESS,
        "--exhibits", f"{ids['foia']},declaration,{ids['i213']}", "--limit-mb", "1",
    )  # fmt: skip
    assert code == 0, stderr
    files = sorted(out.iterdir(), key=lambda f: int(f.stem.rsplit("Part", 1)[1]))
    assert len(files) >= 3
    assert all(f.name.startswith("Ana_Lucia_Perez_Gomez_Evidence_Part") for f in files)
    assert all(f.stat().st_size <= 1_000_000 and stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    first = pdf_text(files[0])
    assert "Exhibit A FOIA response" in first  # the tab page of the first exhibit given
    assert first.index("A FOIA response pp.") < first.index("B Declaration of") < first.index("C Form I-213")
    lines = stdout.strip().splitlines()
    assert len(lines) == len(files)
    starts = [int(line.split("pages ")[1].split("–")[0]) for line in lines]
    ends = [int(line.split("–")[1]) for line in lines]
    assert starts[0] == 1 and all(starts[i + 1] == ends[i] + 1 for i in range(len(lines) - 1))
    assert "Exhibit A (continued)" in " ".join(pdf_text(f) for f in files)


def test_refusals_exit_1_with_one_message(run, vault, out, tmp_path):
    path, ids = vault
    code, _stdout, stderr = run(
        "packet",
        path,
        ANA,
        "--out",
        out,
        "--served-on",
        ADDRESS,
        "--exhibits",
        f"declaration,{ids['letter']}",
    )
    assert code == 1
    assert stderr.count("declara:") == 1 and "Exhibit B" in stderr and "Carta de apoyo" in stderr
    assert list(out.iterdir()) == []
    code, _stdout, stderr = run("packet", path, ANA, "--out", path, "--served-on", ADDRESS)
    assert code == 1 and "vault folder" in stderr
    code, _stdout, stderr = run("packet", path, ANA, "--out", tmp_path / "nowhere", "--served-on", ADDRESS)
    assert code == 1 and "not a folder" in stderr
    code, _stdout, stderr = run("packet", path, ANA, "--out", out, "--exhibits", "timeline,nonsense")
    assert code == 1 and "“nonsense” is not an exhibit" in stderr
