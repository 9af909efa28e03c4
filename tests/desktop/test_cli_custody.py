"""``declara custody`` (issue 22): the custody record of the demo clients (words and JSON, in both
languages), and the parole request, statement of facts and bond packet as PDF and DOCX: sourced,
without internal ids, fonts embedded, 0600, never into the vault; ``custody sources``."""

from __future__ import annotations

import json
import re
import stat

import pytest

from desktop.paths import resource_path

JOSE = "A 205-555-041"
DANIEL = "A 203-555-021"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
INTERNAL = re.compile(r"\b(cu|fam|al|ev|rb|foia|doc)-[a-z0-9]+\b")


@pytest.fixture
def vault(tmp_path, run):
    path = tmp_path / "v.declara"
    assert run("vault", "init", path)[0] == 0
    for name in ("case-jose.json", "case-daniel.json"):
        code, _out, err = run("case", "import", path, resource_path("examples", name))
        assert code == 0, err
    return path


def test_the_custody_record_in_words_and_json(run, vault):
    code, out, err = run("custody", vault, JOSE, "--today", "2026-12-07")
    assert code == 0, err
    assert "detained 181 days, since June 9, 2026" in out
    assert "INA § 235(b)(2)(A): applicant for admission" in out
    assert "Bond hearing" in out and "No jurisdiction (no bond hearing)" in out
    assert "Next custody deadline: December 15, 2026" in out
    assert "June 9, 2026 – now: Stewart Detention Center, Lumpkin, GA (Atlanta Field Office)" in out
    code, out, _err = run("custody", vault, DANIEL, "--json", "--today", "2026-12-07")
    data = json.loads(out)
    assert data["days_held"] == 327 and data["since"] == "2026-01-14" and data["authority"] == "235b2A"
    assert [s["facility"] for s in data["stays"]] == [
        "McAllen Border Patrol station",
        "Central Louisiana ICE Processing Center, Jena, LA",
    ]
    assert "sources" not in data["events"][0]
    code, out, _err = run("--lang", "es", "custody", vault, DANIEL, "--today", "2026-12-07")
    assert code == 0 and "detenido 327 días" in out.lower() or "327 días" in out


@pytest.mark.parametrize("kind", ["parole", "habeas-facts"])
@pytest.mark.parametrize("who", [JOSE, DANIEL])
def test_the_drafts_as_pdf_are_sourced_and_name_no_internal_id(run, vault, tmp_path, pdf, kind, who):
    out = tmp_path / f"{kind}.pdf"
    code, _out, err = run(
        "custody", "draft", vault, who, "--kind", kind, "--out", out, "--today", "2026-12-07"
    )
    assert code == 0, err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "Left blank for you to fill in:" in err  # the attorney's parts
    text = pdf.layout_text(out)
    assert not UUID.search(text) and not INTERNAL.search(text)
    assert text.count("Source:") >= 5
    fonts = pdf.run("pdffonts", out)
    assert "Liberation" in fonts and all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])
    if kind == "parole":
        assert "3. Not a flight risk" in text and "4. Not a danger to the community" in text
    else:
        assert re.search(r"^\s*1\. Petitioner", text, re.M)


def test_the_parole_request_goes_to_the_field_office_of_the_facility(run, vault, tmp_path, pdf):
    from desktop.custody import law

    office = law.field_office_for("Stewart Detention Center, Lumpkin, GA")
    assert office is not None and office.key == "Atlanta Field Office"
    out = tmp_path / "parole.pdf"
    assert (
        run("custody", "draft", vault, JOSE, "--kind", "parole", "--out", out, "--today", "2026-12-07")[0]
        == 0
    )
    text = pdf.layout_text(out)
    if office.lines():
        assert office.lines()[0] in text
    else:  # no source confirmed the address: the letter leaves it blank
        assert "[ICE ERO field office]" in text
    assert "Rosa Elena Martínez Ortiz is a lawful permanent resident" in " ".join(text.split())


@pytest.mark.parametrize("kind", ["parole", "habeas-facts"])
def test_the_drafts_as_docx(run, vault, tmp_path, kind):
    from docx import Document

    out = tmp_path / f"{kind}.docx"
    assert run("custody", "draft", vault, JOSE, "--kind", kind, "--out", out, "--today", "2026-12-07")[0] == 0
    words = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "Source:" in words and not UUID.search(words) and not INTERNAL.search(words)


def test_a_draft_is_never_written_into_the_vault_nor_over_a_file(run, vault, tmp_path):
    code, _out, err = run("custody", "draft", vault, JOSE, "--kind", "parole", "--out", vault / "x.pdf")
    assert code != 0 and ("inside a vault folder" in err or "never written inside the vault" in err)
    existing = tmp_path / "there.pdf"
    existing.write_bytes(b"keep")
    code, _out, err = run("custody", "draft", vault, JOSE, "--kind", "parole", "--out", existing)
    assert code != 0 and existing.read_bytes() == b"keep"
    code, _out, err = run("custody", "draft", vault, JOSE, "--kind", "parole", "--out", tmp_path / "x.txt")
    assert code != 0 and "PDF or DOCX" in err


def test_the_bond_packet_needs_documents_and_says_so(run, vault, tmp_path):
    code, _out, err = run("custody", "draft", vault, JOSE, "--kind", "bond", "--out", tmp_path / "bond.pdf")
    assert code != 0 and "nothing to file yet" in err  # the demo case files carry no documents
    assert not (tmp_path / "bond.pdf").exists()


def test_sources_lists_every_legal_fact_with_its_source(run):
    code, out, _err = run("custody", "sources", "--json")
    assert code == 0
    facts = json.loads(out)
    assert any(f["fact"].startswith("authority.236a.") for f in facts)
    assert any(f["fact"] == "point.yajure_hurtado" for f in facts)
    assert all(f["source"] and f["checked_on"] for f in facts)


ADDRESS = "DHS Office of the Principal Legal Advisor, 146 CCA Road, Lumpkin, GA 31815"


@pytest.fixture
def with_documents(vault, passphrase, policy):
    """José's vault with his sponsor's letter of support, his passport, and a police clearance
    linked to the rebuttal item of his allegation (fictional one-page PDFs)."""
    from bench.scans import line_pdf
    from desktop.case.store import CaseStore
    from desktop.evidence.service import DocumentService
    from desktop.vault.database import open_vault, unlock

    store = CaseStore(open_vault(vault, unlock(vault, passphrase, policy)))
    with store.vault:
        client = store.resolve_client(JOSE).id
        docs = DocumentService(store)
        rosa = next(m for m in store.children(client, "family_member") if m.data.get("sponsor"))
        allegation = store.children(client, "allegation")[0]
        rebuttal = store.children(client, "rebuttal", allegation.id)[0]
        letter = docs.add(client, line_pdf("Letter of support"), title="Letter of support from Rosa Elena "
                          "Martínez Ortiz", kind="letter_of_support", language="en")  # fmt: skip
        docs.link(letter.id, family_member=rosa.id)
        docs.add(client, line_pdf("Passport"), title="Passport of El Salvador", kind="identity_document",
                 language="en")  # fmt: skip
        clearance = docs.add(client, line_pdf("Constancia"), title="Police clearance (PNC)",
                             kind="police_clearance", language="en")  # fmt: skip
        docs.link(clearance.id, rebuttal=rebuttal.id)
    return vault


@pytest.mark.parametrize("suffix", ["pdf", "docx"])
def test_the_bond_packet_in_one_step(run, with_documents, tmp_path, pdf, suffix):
    out = tmp_path / f"bond.{suffix}"
    code, _out, err = run(
        "custody", "draft", with_documents, JOSE, "--kind", "bond", "--out", out,
        "--served-on", ADDRESS, "--attorney", "Ana Ejemplo", "--today", "2026-12-07",
    )  # fmt: skip
    assert code == 0, err
    if suffix == "pdf":
        text = " ".join(pdf.layout_text(out).split())
        assert "CUSTODY REDETERMINATION" in text.upper()
        for title in ("Letter of support from Rosa Elena Martínez Ortiz", "Passport of El Salvador",
                      "Police clearance (PNC)"):  # fmt: skip
            assert title in text, title
        assert text.index("Letter of support") < text.index("Passport") < text.index("Police clearance")
        assert "146 CCA Road" in text  # the proof of service
        assert not UUID.search(text)
    else:
        from docx import Document

        words = "\n".join(p.text for p in Document(str(out)).paragraphs)
        assert "Exhibit A: Letter of support" in words and "Proof of service" in words and ADDRESS in words
