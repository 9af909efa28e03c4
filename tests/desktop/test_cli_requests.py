"""``declara request``: list (words and JSON), draft (PDF and DOCX, 0600, never into the vault, the
blanks named), requester and sources. Fictional demo clients (resources/examples)."""

from __future__ import annotations

import json
import stat

import pytest

from desktop.paths import resource_path

JOSE = "A 205-555-041"
DANIEL = "A 203-555-021"


@pytest.fixture
def vault(tmp_path, run):
    path = tmp_path / "v.declara"
    assert run("vault", "init", path)[0] == 0
    for name in ("case-jose.json", "case-daniel.json"):
        code, _out, err = run("case", "import", path, resource_path("examples", name))
        assert code == 0, err
    return path


def test_list_says_what_each_allegation_calls_for_and_where_it_stands(run, vault):
    code, out, err = run("request", "list", vault, JOSE, "--today", "2026-12-07")
    assert code == 0, err
    assert "Allegation al-1: Gang affiliation (MS-13)" in out
    assert "Overdue: 2" in out and "Expiring: 1" in out
    for line in (
        "CBP — U.S. Customs and Border Protection",
        "USCIS",
        "OBIM",
        "Clearance certificates (El Salvador)",
    ):
        assert line in out, line
    assert "not requested" in out  # USCIS, OBIM, EOIR
    assert "valid until Dec 10, 2026" in out  # the DGCP certificate, issued November 10
    assert "sent June 22, 2026" in out and "due Jul 21, 2026" in out


def test_list_as_json_and_in_spanish(run, vault):
    code, out, _err = run("request", "list", vault, DANIEL, "--json", "--today", "2026-12-07")
    assert code == 0
    data = json.loads(out)
    allegation = data["allegations"][0]
    assert allegation["id"] == "al-1" and allegation["glance"] == {"overdue": 2, "expired": 1, "draft": 1}
    called = {item["to"]: item for item in allegation["called_for"]}
    assert called["CLEARANCE"]["country"] == "HN"
    honduras = called["CLEARANCE"]["requests"][0]
    assert honduras["state"] == "expired" and honduras["valid_until"] == "2026-09-29"
    assert honduras["valid_until_approximate"] is False  # issued on an exact day
    assert called["USCIS"]["requests"] == []
    code, out, _err = run("--lang", "es", "request", "list", vault, DANIEL, "--today", "2026-12-07")
    assert code == 0 and "Señalamiento al-1" in out and "Vencida: 1" in out and "Atrasada: 2" in out


@pytest.mark.parametrize(("to", "suffix"), [("USCIS", "pdf"), ("clearance", "docx")])
def test_draft_writes_the_letter_owner_only_and_records_the_request(run, vault, tmp_path, to, suffix, pdf):
    out = tmp_path / f"letter.{suffix}"
    code, _out, err = run(
        "request",
        "draft",
        vault,
        JOSE,
        "--to",
        to,
        "--allegation",
        "al-1",
        "--out",
        out,
        "--today",
        "2026-12-07",
    )
    assert code == 0, err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "It is not encrypted" in err
    if suffix == "pdf":
        text = " ".join(pdf.layout_text(out).split())
        assert "José Ángel Martínez Núñez" in text and "Citizenship and Immigration Services" in text
        assert "Left blank for you to fill in: [Requester's name]" in err  # no requester set yet
    else:
        assert out.read_bytes()[:2] == b"PK"
        assert "[número de DUI]" in err
    code, listed, _err = run("request", "list", vault, JOSE, "--json", "--today", "2026-12-07")
    states = [
        r["state"] for item in json.loads(listed)["allegations"][0]["called_for"] for r in item["requests"]
    ]
    assert "draft" in states


def test_a_letter_that_cannot_be_written_records_no_draft(run, vault, tmp_path):
    before = run("request", "list", vault, JOSE, "--json")[1]
    code, _out, err = run(
        "request", "draft", vault, JOSE, "--to", "USCIS", "--out", tmp_path / "gone" / "u.pdf"
    )
    assert code == 1 and err
    assert run("request", "list", vault, JOSE, "--json")[1] == before


def test_draft_refusals_say_why_and_write_nothing(run, vault, tmp_path):
    code, _out, err = run("request", "draft", vault, JOSE, "--to", "ICE", "--out", tmp_path / "x.txt")
    assert code == 1 and ".pdf or .docx" in err
    code, _out, err = run("request", "draft", vault, JOSE, "--to", "ICE", "--out", vault / "x.pdf")
    assert code == 1 and "inside a vault folder" in err
    existing = tmp_path / "x.pdf"
    existing.write_bytes(b"keep")
    code, _out, err = run("request", "draft", vault, JOSE, "--to", "ICE", "--out", existing)
    assert code == 1 and "--force" in err and existing.read_bytes() == b"keep"
    code, _out, err = run(
        "request", "draft", vault, JOSE, "--to", "ICE", "--allegation", "al-9", "--out", tmp_path / "y.pdf"
    )
    assert code == 1 and "al-9" in err and not (tmp_path / "y.pdf").exists()
    code, _out, err = run("request", "draft", vault, JOSE, "--to", "NSA", "--out", tmp_path / "z.pdf")
    assert code == 2 and not (tmp_path / "z.pdf").exists()  # argparse's usage error


def test_requester_is_set_once_and_signs_the_letters(run, vault, tmp_path, pdf):
    code, out, _err = run(
        "request", "requester", vault, "--name", "Laura Ficticia Ortiz", "--address", "100 Example Street",
        "--address", "Atlanta, GA 30303", "--email", "intake@example.org",
    )  # fmt: skip
    assert code == 0 and "Address: 100 Example Street / Atlanta, GA 30303" in out
    letter = tmp_path / "ice.pdf"
    code, _out, err = run("request", "draft", vault, JOSE, "--to", "ICE", "--out", letter)
    assert code == 0 and "Requester" not in err  # only the client's own answer is left blank
    assert "Left blank for you to fill in: [other names used, or “none”]" in err
    assert "Laura Ficticia Ortiz" in pdf.layout_text(letter)


def test_sources_lists_every_fact_and_what_is_not_confirmed(run):
    code, out, _err = run("request", "sources", "--json")
    facts = json.loads(out)
    assert code == 0 and all(f["source"] and f["checked_on"] for f in facts)
    assert any(not f["confirmed"] for f in facts) and any(
        f["fact"] == "SV-DGCP-ANTECEDENTES.validity_days" for f in facts
    )
    code, out, _err = run("request", "sources")
    assert out.rstrip().endswith("not confirmed by a source.")
