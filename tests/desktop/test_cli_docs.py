"""``declara doc add|list|export|link``, ``declara search`` and case files with documents."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest

ANA = "A201555014"


def _pdf(*pages: str) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for text in pages:
        c.drawString(72, 720, text)
        c.showPage()
    c.save()
    return buf.getvalue()


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def vault(tmp_path, run, ana_path):
    path = tmp_path / "v.declara"
    assert run("vault", "init", path)[0] == 0
    assert run("case", "import", path, ana_path)[0] == 0
    return path


@pytest.fixture
def files(tmp_path):
    folder = tmp_path / "scans"
    folder.mkdir()
    clearance = folder / "solvencia_PNC.pdf"
    clearance.write_bytes(_pdf("Constancia de antecedentes policiales", "Policia Nacional Civil"))
    photo = folder / "cicatriz.png"
    photo.write_bytes(_png())
    empty = folder / "vacio.pdf"
    empty.write_bytes(b"")
    fake = folder / "falso.pdf"
    fake.write_bytes(b"this is not a PDF at all, only words")
    return {"clearance": clearance, "photo": photo, "empty": empty, "fake": fake}


def _list(run, vault):
    code, out, err = run("doc", "list", vault, ANA, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def added(run, vault, files):
    code, out, err = run(
        "doc", "add", vault, ANA, files["clearance"], "--kind", "police_clearance", "--lang", "es"
    )
    assert code == 0, err
    return _list(run, vault)[0]


# -- doc add -------------------------------------------------------------------------------------
def test_add_prints_id_title_pages_and_the_originals_sha256(run, vault, files):
    code, out, err = run("doc", "add", vault, ANA, files["clearance"], files["photo"])
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 3 and lines[-1] == "2 documents added."
    rows = {r["title"]: r for r in _list(run, vault)}
    assert set(rows) == {"solvencia PNC", "cicatriz"}
    for line, path in zip(lines, (files["clearance"], files["photo"]), strict=False):
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        row = next(r for r in rows.values() if r["original_sha256"] == sha)
        assert line.startswith(row["id"]) and sha in line and row["title"] in line
    assert "2 page(s)" in lines[0] and rows["solvencia PNC"]["pages"] == 2


def test_a_refused_file_is_reported_and_the_others_are_still_added(run, vault, files, tmp_path):
    code, out, err = run(
        "doc", "add", vault, ANA, files["empty"], files["clearance"], files["fake"], tmp_path / "nowhere.pdf"
    )
    assert code == 1
    assert "Traceback" not in err
    assert f"{files['empty']}: not imported:" in err and "0 bytes" in err
    assert f"{files['fake']}: not imported:" in err
    assert f"{tmp_path / 'nowhere.pdf'}: not imported:" in err
    assert "3 files were not imported" in err
    rows = _list(run, vault)
    assert [r["title"] for r in rows] == ["solvencia PNC"]  # nothing of the refused ones
    assert out.count("SHA-256") == 1


def test_add_kind_title_and_language_and_the_kinds_in_help(run, vault, files, capsys):
    code, _out, err = run(
        "doc",
        "add",
        vault,
        ANA,
        files["clearance"],
        "--kind",
        "police_clearance",
        "--title",
        "Solvencia 2023",
        "--lang",
        "es",
    )
    assert code == 0, err
    row = _list(run, vault)[0]
    assert (row["kind"], row["title"], row["language"]) == ("police_clearance", "Solvencia 2023", "es")
    code, _out, err = run("doc", "add", vault, ANA, files["clearance"], "--kind", "selfie")
    assert code == 2 and "selfie" in err + capsys.readouterr().err  # argparse writes to sys.stderr
    code, out, _err = run("doc", "add", "--help")
    out += capsys.readouterr().out
    assert code == 0 and "Kinds of document:" in out
    for kind in ("i213", "police_clearance", "birth_certificate", "country_conditions", "other"):
        assert kind in out


def test_add_refuses_an_unknown_client_and_a_wrong_passphrase(run, cli, vault, files):
    code, _out, err = run("doc", "add", vault, "A999999999", files["clearance"])
    assert code == 1 and "A999999999" in err
    code, _out, err = cli(env={"DECLARA_PASSPHRASE": "not the passphrase at all"})(
        "doc", "add", vault, ANA, files["clearance"]
    )
    assert code == 1 and "Traceback" not in err
    assert _list(run, vault) == []


# -- doc list ------------------------------------------------------------------------------------
def test_list_json_shape_and_text(run, vault, added, files):
    assert set(added) >= {
        "id",
        "kind",
        "kind_label",
        "title",
        "language",
        "date",
        "pages",
        "original_sha256",
        "current_revision",
    }
    assert added["original_sha256"] == hashlib.sha256(files["clearance"].read_bytes()).hexdigest()
    assert added["current_revision"] == 0 and added["pages"] == 2 and added["date"] is None
    code, out, _err = run("doc", "list", vault, ANA)
    assert code == 0
    assert added["id"] in out and added["original_sha256"] in out and "1 document." in out
    code, out_es, _err = run("--lang", "es", "doc", "list", vault, ANA, "--json")
    label_es = json.loads(out_es)[0]["kind_label"]
    assert label_es and label_es != "police_clearance"


def test_list_of_a_client_without_documents(run, vault):
    code, out, _err = run("doc", "list", vault, ANA)
    assert code == 0 and "no documents" in out


# -- doc export ----------------------------------------------------------------------------------
def test_export_writes_0600_and_refuses_to_overwrite(run, vault, added, files, tmp_path):
    out = tmp_path / "out" / "solvencia.pdf"
    out.parent.mkdir()
    code, _out, err = run("doc", "export", vault, added["id"], "--out", out)
    assert code == 0, err and "not encrypted" in err
    assert out.stat().st_mode & 0o777 == 0o600
    assert out.read_bytes() == files["clearance"].read_bytes()  # nothing derived: current == original
    out.write_bytes(b"keep me")
    code, _out, err = run("doc", "export", vault, added["id"][:8], "--out", out, "--original")
    assert code == 1 and "--force" in err
    assert out.read_bytes() == b"keep me"
    code, _out, err = run("doc", "export", vault, added["id"][:8], "--out", out, "--original", "--force")
    assert code == 0, err
    assert hashlib.sha256(out.read_bytes()).hexdigest() == added["original_sha256"]


def test_export_refuses_the_vault_folder_and_an_unknown_document(run, vault, added, tmp_path):
    inside = vault / "solvencia.pdf"
    code, _out, err = run("doc", "export", vault, added["id"], "--out", inside)
    assert code == 1 and "vault folder" in err and not inside.exists()
    code, _out, err = run("doc", "export", vault, "ffffffff", "--out", tmp_path / "x.pdf")
    assert code == 1 and "ffffffff" in err and not (tmp_path / "x.pdf").exists()


def test_export_of_a_rearranged_document_gives_the_current_revision(
    run, vault, added, tmp_path, passphrase, policy
):
    from desktop.case.store import CaseStore
    from desktop.evidence.service import DocumentService
    from desktop.vault.database import open_vault, unlock

    store = CaseStore(open_vault(vault, unlock(vault, passphrase, policy)))
    with store.vault:
        DocumentService(store).rearrange(added["id"], [1])
    row = _list(run, vault)[0]
    assert row["current_revision"] == 1 and row["pages"] == 1
    current, original = tmp_path / "current.pdf", tmp_path / "original.pdf"
    assert run("doc", "export", vault, added["id"], "--out", current)[0] == 0
    assert run("doc", "export", vault, added["id"], "--out", original, "--original")[0] == 0
    assert hashlib.sha256(original.read_bytes()).hexdigest() == added["original_sha256"]
    assert current.read_bytes() != original.read_bytes() and current.read_bytes().startswith(b"%PDF")


# -- doc link ------------------------------------------------------------------------------------
def _records(vault, passphrase, policy, kind):
    from desktop.case.store import CaseStore
    from desktop.vault.database import open_vault, unlock

    store = CaseStore(open_vault(vault, unlock(vault, passphrase, policy)))
    with store.vault:
        client = store.resolve_client(ANA)
        return store.children(client.id, kind)


def test_link_and_unlink(run, vault, added, passphrase, policy):
    allegation = _records(vault, passphrase, policy, "allegation")[0]
    code, out, err = run("doc", "link", vault, added["id"], "--allegation", allegation.id)
    assert code == 0, err and allegation.id in out
    document = _records(vault, passphrase, policy, "document")[0]
    assert document.data["links"]["allegation"] == allegation.id
    event = _records(vault, passphrase, policy, "event")[0]
    code, _out, err = run("doc", "link", vault, added["id"], "--event", event.id)
    assert code == 0, err
    code, _out, err = run("doc", "link", vault, added["id"], "--unlink", "allegation")
    assert code == 0, err
    links = _records(vault, passphrase, policy, "document")[0].data["links"]
    assert links["allegation"] is None and links["event"] == event.id


def test_link_refusals(run, vault, added, passphrase, policy):
    event = _records(vault, passphrase, policy, "event")[0]
    code, _out, err = run(
        "doc", "link", vault, added["id"], "--allegation", event.id
    )  # an event, not an allegation
    assert code == 1 and "allegation" in err
    code, _out, err = run("doc", "link", vault, added["id"], "--event", "no-such-id")
    assert code == 1 and "no-such-id" in err
    code, _out, _err = run("doc", "link", vault, added["id"], "--event", event.id, "--foia", event.id)
    assert code == 2
    code, _out, _err = run("doc", "link", vault, added["id"])
    assert code == 2
    assert _records(vault, passphrase, policy, "document")[0].data["links"]["event"] is None


# -- search --------------------------------------------------------------------------------------
def test_search_finds_clients_and_document_text_accents_ignored(run, vault, added):
    code, out, err = run("search", vault, "POLICIA", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert [r["document_id"] for r in rows] == [added["id"]]
    assert set(rows[0]) == {"client_id", "client", "document_id", "document"}
    assert rows[0]["client"].startswith("Ana") and rows[0]["document"] == added["title"]
    code, out, _err = run("search", vault, "perez")
    assert code == 0 and "Ana Lucía Pérez Gómez" in out and "1 match." in out
    code, out, _err = run("search", vault, "zzzzqqq")
    assert code == 0 and "0 matches." in out


# -- case files with documents -------------------------------------------------------------------
def test_case_export_with_documents_is_a_zip_that_imports(run, vault, added, tmp_path):
    out = tmp_path / "ana.declara-case.zip"
    code, _out, err = run("case", "export", vault, ANA, "--out", out)
    assert code == 0, err and "1 document" in err
    assert out.stat().st_mode & 0o777 == 0o600
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == ["case.json", f"documents/{added['original_sha256']}"]
        assert json.loads(zf.read("case.json"))["version"] == 2
    code, _out, err = run("case", "export", vault, ANA, "--out", "-")
    assert code == 1 and "ZIP" in err
    assert run("case", "validate", out)[0] == 0
    other = tmp_path / "office.declara"
    assert run("vault", "init", other)[0] == 0
    code, _out, err = run("case", "import", other, out)
    assert code == 0, err
    copied = _list(run, other)
    assert [(r["title"], r["original_sha256"], r["pages"]) for r in copied] == [
        (added["title"], added["original_sha256"], added["pages"])
    ]
    export = tmp_path / "copy.pdf"
    assert run("doc", "export", other, copied[0]["id"], "--out", export)[0] == 0
    assert hashlib.sha256(export.read_bytes()).hexdigest() == added["original_sha256"]


def test_case_export_without_documents_stays_json_unless_asked(run, vault, tmp_path):
    out = tmp_path / "ana.json"
    assert run("case", "export", vault, ANA, "--out", out)[0] == 0
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == 1
    zipped = tmp_path / "ana.declara-case.zip"
    code, _out, err = run("case", "export", vault, ANA, "--out", zipped, "--documents")
    assert code == 0, err
    with zipfile.ZipFile(zipped) as zf:
        doc = json.loads(zf.read("case.json"))
    assert doc["version"] == 2 and doc["documents"] == []


def test_timeline_prints_a_document_sources_label_never_its_id(
    run, vault, added, tmp_path, passphrase, policy, pdf
):
    from desktop.case.store import CaseStore
    from desktop.vault.database import open_vault, unlock

    store = CaseStore(open_vault(vault, unlock(vault, passphrase, policy)))
    with store.vault:
        event = store.children(store.resolve_client(ANA).id, "event")[0]
        store.update(event.id, {**event.data, "sources": [f"document:{added['id']}#p2"]})
    out = tmp_path / "t.pdf"
    code, _out, err = run("timeline", vault, ANA, "--lang", "en", "--out", out)
    assert code == 0, err
    assert "printed as words" not in err  # a vault document is not an unknown slug
    text = " ".join(pdf.run("pdftotext", "-raw", out, "-").replace("\u00a0", " ").split())
    assert f"{added['title']}, p. 2" in text
    squashed = "".join(text.split())
    assert added["id"] not in squashed and added["id"][:8] not in squashed
