"""The declara command line: commands, passphrase sources, exit codes, languages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo(tmp_path, run):
    path = tmp_path / "demo.declara"
    code, out, err = run("demo", path)
    assert code == 0, err
    return path


def test_init_with_prompt_twice(tmp_path, cli, passphrase):
    run = cli(answers=[passphrase, passphrase])
    code, out, err = run("vault", "init", tmp_path / "v")
    assert code == 0, err
    assert "Created the vault" in out
    assert (tmp_path / "v" / "keyheader.json").exists()


def test_init_refuses_mismatched_prompt(tmp_path, cli, passphrase):
    run = cli(answers=[passphrase, passphrase + "x"])
    code, _out, err = run("vault", "init", tmp_path / "v")
    assert code == 1 and "differ" in err
    assert not (tmp_path / "v").exists()


def test_init_refuses_weak_passphrase_with_reason(tmp_path, cli):
    run = cli(env={"DECLARA_PASSPHRASE": "password1234"})
    code, _out, err = run("vault", "init", tmp_path / "v")
    assert code == 1 and "not accepted" in err and "Traceback" not in err


def test_passphrase_file(tmp_path, cli, passphrase):
    secret = tmp_path / "secret.txt"
    secret.write_text(passphrase + "\n")
    run = cli()
    assert run("vault", "init", tmp_path / "v", "--passphrase-file", secret)[0] == 0
    code, out, _ = run("vault", "check", tmp_path / "v", "--passphrase-file", secret)
    assert code == 0 and "intact" in out


def test_demo_has_three_clients_and_list_json(demo, run):
    code, out, _ = run("case", "list", demo, "--json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 3
    assert {"id", "name", "a_number"} == set(rows[0])
    assert any(r["name"].startswith("José") for r in rows)


def test_demo_without_passphrase_prints_a_generated_one(tmp_path, cli):
    run = cli()
    code, out, _ = run("demo", tmp_path / "d")
    assert code == 0
    shown = out.strip().splitlines()[-1].split(": ", 1)[1]
    assert shown.startswith("demo-")
    assert cli(env={"DECLARA_PASSPHRASE": shown})("case", "list", tmp_path / "d")[0] == 0


def test_import_export_show_by_a_number(tmp_path, run, ana_path):
    vault = tmp_path / "v"
    assert run("vault", "init", vault)[0] == 0
    code, out, err = run("case", "import", vault, ana_path)
    assert code == 0, err
    assert "Ana Lucía Pérez Gómez" in out
    out_file = tmp_path / "ana.json"
    code, _, err = run("case", "export", vault, "A201555014", "--out", out_file)
    assert code == 0 and "not encrypted" in err
    assert json.loads(out_file.read_text()) == json.loads(ana_path.read_text())
    assert oct(out_file.stat().st_mode & 0o777) == "0o600"
    code, out, _ = run("case", "show", vault, "a-201-555-014")
    assert code == 0 and "Pérez Gómez" in out and "around 2015" in out and "11 events" in out


def test_show_in_spanish(tmp_path, ana_path, cli, passphrase):
    run = cli(env={"DECLARA_PASSPHRASE": passphrase, "LANG": "es_SV.UTF-8"})
    vault = tmp_path / "v"
    run("vault", "init", vault)
    run("case", "import", vault, ana_path)
    code, out, _ = run("case", "show", vault, "201555014")
    assert code == 0
    assert "alrededor de 2015" in out and "Fecha de nacimiento" in out and "11 hechos" in out


def test_invalid_case_file_exit_1_with_paths_and_nothing_written(tmp_path, run, ana_path):
    vault = tmp_path / "v"
    run("vault", "init", vault)
    doc = json.loads(ana_path.read_text())
    doc["events"][0]["date"] = "1994-02-30"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    code, _out, err = run("case", "import", vault, bad)
    assert code == 1
    assert "$.events[0].date" in err and "Traceback" not in err
    assert json.loads(run("case", "list", vault, "--json")[1]) == []


def test_wrong_passphrase_exit_1(tmp_path, run, cli):
    run("vault", "init", tmp_path / "v")
    code, _, err = cli(env={"DECLARA_PASSPHRASE": "definitely not it 123"})("case", "list", tmp_path / "v")
    assert code == 1 and "passphrase is wrong" in err


def test_not_a_vault_exit_1(tmp_path, run):
    code, _, err = run("vault", "check", tmp_path / "nowhere")
    assert code == 1 and "no vault" in err


def test_unknown_client_exit_1(demo, run):
    code, _, err = run("case", "show", demo, "A 999-555-999")
    assert code == 1 and "No client" in err


def test_passphrase_change(tmp_path, run, cli):
    vault = tmp_path / "v"
    run("vault", "init", vault)
    new = tmp_path / "new.txt"
    new.write_text("copper meadow whistle sideways 7\n")
    assert run("vault", "passphrase", vault, "--new-passphrase-file", new)[0] == 0
    assert run("case", "list", vault)[0] == 1
    assert cli(env={"DECLARA_PASSPHRASE": "copper meadow whistle sideways 7"})("case", "list", vault)[0] == 0


def test_validate_without_a_vault(run, ana_path):
    code, out, _ = run("case", "validate", ana_path)
    assert code == 0 and "valid" in out


def test_usage_errors_exit_2(run, capsys):
    assert run("case", "export")[0] == 2
    assert "usage" in capsys.readouterr().err
    assert run("frobnicate")[0] == 2


def test_usage_error_in_spanish(capsys, cli):
    code = cli(env={"LANG": "es_ES.UTF-8"})("case", "export")[0]
    assert code == 2
    err = capsys.readouterr().err
    assert "uso:" in err and "se requieren" in err


def test_no_command_prints_help(run):
    code, out, _ = run()
    assert code == 0 and "vault" in out and "case" in out


@pytest.mark.slow
def test_real_process_exit_codes_and_no_traceback(tmp_path, passphrase):
    """The installed entry point, the production KDF, a second process on a locked vault."""
    env = {**os.environ, "DECLARA_PASSPHRASE": passphrase, "LANG": "C.UTF-8"}
    env.pop("LANGUAGE", None)
    cmd = [sys.executable, "-m", "desktop"]
    vault = tmp_path / "real"
    first = subprocess.run(
        [*cmd, "vault", "init", str(vault)], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert first.returncode == 0, first.stderr
    wrong = subprocess.run(
        [*cmd, "vault", "check", str(vault)],
        cwd=REPO,
        env={**env, "DECLARA_PASSPHRASE": "this is not the one 99"},
        capture_output=True,
        text=True,
    )
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr and "wrong" in wrong.stderr
    es = subprocess.run(
        [*cmd, "vault", "check", str(vault)],
        cwd=REPO,
        env={**env, "DECLARA_PASSPHRASE": "this is not the one 99", "LANG": "es_MX.UTF-8"},
        capture_output=True,
        text=True,
    )
    assert es.returncode == 1 and "incorrecta" in es.stderr
    usage = subprocess.run([*cmd, "vault"], cwd=REPO, env=env, capture_output=True, text=True)
    assert usage.returncode == 2
    ok = subprocess.run(
        [*cmd, "vault", "check", str(vault)], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert ok.returncode == 0 and "intact" in ok.stdout


# -- declaration draft / sign / PDF -------------------------------------------------------------
@pytest.fixture
def ana_vault(tmp_path, run, ana_path):
    vault = tmp_path / "v"
    assert run("vault", "init", vault)[0] == 0
    assert run("case", "import", vault, ana_path)[0] == 0
    return vault


def _current_version(vault, passphrase, policy):
    from desktop.case.store import CaseStore
    from desktop.drafting.declarations import DeclarationService
    from desktop.vault.database import open_vault, unlock

    with open_vault(vault, unlock(vault, passphrase, policy)) as opened:
        store = CaseStore(opened)
        client = store.resolve_client("A201555014")
        return DeclarationService(store).current(client.id)


def test_declaration_draft_prints_where_the_markers_are(ana_vault, run, passphrase, policy):
    code, out, err = run("declaration", "draft", ana_vault, "A201555014")
    assert code == 0, err
    version = _current_version(ana_vault, passphrase, policy)
    assert version.number == 2 and not version.signed
    count = len(version.paragraphs)
    assert f"Drafted version 2 of the declaration of Ana Lucía Pérez Gómez: {count} paragraphs." in out
    from desktop.drafting.signing import marker_blockers

    markers = marker_blockers([p.data for p in version.paragraphs])
    assert markers, "Ana's draft leaves markers for the attorney"
    for m in markers:
        assert f"  paragraph {m.paragraph} ({m.lang}): {m.params['marker']}" in out.splitlines()
    assert f"{len(markers)} places for the attorney to complete before signing:" in out


def test_declaration_sign_refuses_with_exit_1_and_the_reasons(ana_vault, run, passphrase, policy):
    assert run("declaration", "draft", ana_vault, "A201555014")[0] == 0
    code, out, err = run(
        "declaration", "sign", ana_vault, "A201555014", "--on", "2026-11-02", "--at", "Pearsall, TX"
    )
    assert code == 1 and out == ""
    assert err.startswith("declara: Version 2 cannot be signed yet:\n• Paragraph ")
    assert "still holds “[" in err and "Traceback" not in err
    assert not _current_version(ana_vault, passphrase, policy).signed


def test_declaration_sign_refuses_a_blank_interpreter(ana_vault, run, passphrase, policy):
    code, _out, err = run(
        "declaration", "sign", ana_vault, "A201555014", "--on", "2026-11-02", "--at", "Pearsall, TX",
        "--interpreter", "",
    )  # fmt: skip
    assert code == 1
    assert "• The certificate of interpretation needs the interpreter's name." in err
    assert not _current_version(ana_vault, passphrase, policy).signed


def test_declaration_sign_refuses_what_is_not_a_day_or_a_place(ana_vault, run, capsys):
    code, _out, err = run(
        "declaration", "sign", ana_vault, "A201555014", "--on", "March 2022", "--at", "X, TX"
    )
    assert code == 1 and "is not one day" in err
    code, _out, err = run(
        "declaration", "sign", ana_vault, "A201555014", "--on", "2026-11-02", "--at", "Pearsall"
    )
    assert code == 1 and "is not a place of signing" in err
    capsys.readouterr()
    code, _out, _err = run("declaration", "sign", ana_vault, "A201555014", "--at", "Pearsall, TX")
    assert code == 2 and "--on" in capsys.readouterr().err


def test_declaration_sign_stores_the_day_place_and_interpreter(ana_vault, run, passphrase, policy):
    code, out, err = run(
        "declaration", "sign", ana_vault, "A201555014", "--on", "November 2, 2026", "--at", "Dilley, TX",
        "--interpreter", "Luis Ortega", "--interpreter-phone", "(210) 555-0199",
    )  # fmt: skip
    assert code == 0, err
    version = _current_version(ana_vault, passphrase, policy)
    data = version.record.data
    assert version.signed and data["signed_on"] == "2026-11-02"
    assert data["place_of_signing"] == {"city": "Dilley", "region": "Texas", "country": "US"}
    assert data["interpreter"]["name"] == "Luis Ortega" and data["interpreter"]["phone"] == "(210) 555-0199"
    assert "Version 1 of the declaration of Ana Lucía Pérez Gómez is signed, executed on 2026-11-02" in out
    assert f"SHA-256: {data['sha256']}" in out


def test_declaration_pdf_command_still_works_and_takes_conformed(ana_vault, run, tmp_path):
    out_file = tmp_path / "d.pdf"
    code, _out, err = run("declaration", ana_vault, "A201555014", "--lang", "en", "--out", out_file)
    assert code == 0 and "not encrypted" in err and out_file.read_bytes().startswith(b"%PDF")
    code, _out, err = run(
        "declaration", "sign", ana_vault, "A201555014", "--on", "2026-11-02", "--at", "Pearsall, TX"
    )
    assert code == 0, err
    conformed = tmp_path / "c.pdf"
    code, _out, err = run(
        "declaration", ana_vault, "A201555014", "--lang", "en", "--out", conformed, "--conformed"
    )
    assert code == 0, err
    text = subprocess.run(
        ["pdftotext", str(conformed), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "/s/ Ana Lucía Pérez Gómez" in text and "November 2, 2026" in text


def test_declaration_help_names_the_three_commands(run, capsys):
    code, out, _err = run()
    assert code == 0
    assert "declaration draft" in out and "declaration sign" in out and "\n    declaration " in out
    assert run("declaration", "sign", "--help")[0] == 0
    help_text = capsys.readouterr().out
    assert "usage: declara declaration sign" in help_text and "--on DATE" in help_text
    assert "--interpreter NAME" in help_text
