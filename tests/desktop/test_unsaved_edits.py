"""A file of unsaved changes (saved by the window when the vault could not store them) is read back
within its limits, planned against a vault and applied all or nothing (issue 18: the changes can be
saved into a new vault or a backup). The command line does the same."""

from __future__ import annotations

import json

import pytest

from desktop.case import unsaved_edits as ue
from desktop.errors import DeclaraError, ValidationError
from desktop.limits import InputRefused

FILE_PASSPHRASE = "orchard copper nimbus seventy"


@pytest.fixture
def rosa(store):
    """A fictional client with a family member."""
    client = store.create("client", {"given_names": "Rosa", "family_names": "Quintanilla Demo"})
    child_data = {"relationship": "child", "given_names": "Tomás"}
    child = store.create("family_member", child_data, client_id=client.id)
    return client, child


def edits_for(store, pending, vault_id=None):
    """The file's content as the window would write it, read back without encryption."""
    doc = ue.build_document(pending, store, vault_id or store.vault.vault_id)
    return ue.parse(json.dumps(doc).encode())


def test_written_then_read_back_with_its_passphrase(store, rosa, tmp_path):
    client, child = rosa
    pending = {(client.id, "notes"): "Trae la constancia 4471", (child.id, "whereabouts"): "ORR, Texas"}
    doc = ue.build_document(pending, store, store.vault.vault_id)
    target = tmp_path / "unsaved.age"
    ue.write(target, doc, FILE_PASSPHRASE)
    raw = target.read_bytes()
    assert raw.startswith(b"age-encryption.org/v1\n") and b"4471" not in raw and b"Rosa" not in raw
    assert (target.stat().st_mode & 0o777) == 0o600
    read = ue.read(target, FILE_PASSPHRASE)
    assert read.vault_id == store.vault.vault_id and read.saved_at == doc["saved_at"]
    assert [(e.record_id, e.path, e.value) for e in read] == [
        (client.id, "notes", "Trae la constancia 4471"),
        (child.id, "whereabouts", "ORR, Texas"),
    ]
    assert {e.client for e in read} == {"Rosa Quintanilla Demo"}

    with pytest.raises(DeclaraError, match="cannot be opened with this passphrase"):
        ue.read(target, "a different passphrase altogether")
    truncated = tmp_path / "truncated.age"
    truncated.write_bytes(raw[: len(raw) - 20])
    with pytest.raises(DeclaraError, match="damaged or incomplete"):
        ue.read(truncated, FILE_PASSPHRASE)


def test_a_changed_byte_is_refused(store, rosa, tmp_path):
    client, _child = rosa
    target = tmp_path / "unsaved.age"
    ue.write(target, ue.build_document({(client.id, "notes"): "x"}, store, None), FILE_PASSPHRASE)
    raw = bytearray(target.read_bytes())
    raw[-3] ^= 0x01  # in the payload: its authentication fails
    target.write_bytes(bytes(raw))
    with pytest.raises(DeclaraError, match="damaged or incomplete"):
        ue.read(target, FILE_PASSPHRASE)


def test_what_is_not_a_file_of_unsaved_changes_is_refused_before_decrypting(tmp_path, monkeypatch):
    import pyrage

    def never(*_a):
        raise AssertionError("decrypted")

    monkeypatch.setattr(pyrage.passphrase, "decrypt", never)
    plain = tmp_path / "plain.json"
    plain.write_text('{"format": "declara-unsaved-edits"}')
    with pytest.raises(DeclaraError, match="not an encrypted age file"):
        ue.read(plain, FILE_PASSPHRASE)
    to_a_key = tmp_path / "sync.age"  # an age file for a key (a sync file), not a passphrase
    to_a_key.write_bytes(b"age-encryption.org/v1\n-> X25519 abc\ndef\n--- ghi\n" + b"\0" * 40)
    with pytest.raises(DeclaraError, match="not encrypted to a passphrase"):
        ue.read(to_a_key, FILE_PASSPHRASE)
    huge = tmp_path / "huge.age"
    with open(huge, "wb") as fh:  # sparse: its size on the disk is what counts
        fh.write(b"age-encryption.org/v1\n")
        fh.truncate(ue.MAX_FILE_BYTES + 1)
    with pytest.raises(InputRefused, match="exceeds the size limit") as err:
        ue.read(huge, FILE_PASSPHRASE)
    assert err.value.reason == "size"


@pytest.mark.parametrize(
    ("doc", "fragment", "where"),
    [
        ({"format": "other", "version": 1, "edits": []}, "not a file of unsaved changes", "$.format"),
        ({"format": ue.FORMAT, "version": 2, "edits": []}, "newer Declara (version 2)", "$.version"),
        ({"format": ue.FORMAT, "version": "1", "edits": []}, "no version", "$.version"),
        ({"format": ue.FORMAT, "version": 1}, "no list of changes", "$.edits"),
        (
            {"format": ue.FORMAT, "version": 1, "edits": [{"record_id": "r", "path": "../x", "value": 1}]},
            "names no field",
            "$.edits[0].path",
        ),
        (
            {"format": ue.FORMAT, "version": 1, "edits": [{"record_id": "r", "path": "notes"}]},
            "has no value",
            "$.edits[0].value",
        ),
    ],
)
def test_a_wrong_format_or_version_is_refused_with_where(doc, fragment, where):
    with pytest.raises(InputRefused, match=fragment.replace("(", r"\(").replace(")", r"\)")) as err:
        ue.parse(json.dumps(doc).encode())
    assert err.value.field == where


def test_the_json_is_bounded_before_it_is_parsed():
    nested = b'{"format": "declara-unsaved-edits", "version": 1, "edits": ' + b"[" * 100 + b"]" * 100 + b"}"
    with pytest.raises(InputRefused, match="nested too deeply"):
        ue.parse(nested)
    with pytest.raises(InputRefused, match="not valid JSON"):
        ue.parse(b'{"format": "declara-unsaved-edits", "version": 1, "edits": [')


def test_the_plan_says_what_applies_what_is_there_and_what_cannot(store, rosa):
    client, child = rosa
    gone = store.create("family_member", {"relationship": "child"}, client_id=client.id)
    store.delete(gone.id)
    edits = edits_for(
        store,
        {
            (client.id, "notes"): "Nueva nota",
            (client.id, "given_names"): "Rosa",  # already the vault's value
            (child.id, "whereabouts"): "Con su tía",
            (gone.id, "whereabouts"): "—",
            ("0f0e0d0c-lost-in-a-salvage", "notes"): "perdida",
        },
    )
    plan = ue.plan(store, edits)
    assert [item.status for item in plan] == [ue.APPLIES, ue.ALREADY, ue.APPLIES, ue.CANNOT, ue.CANNOT]
    assert not plan.other_vault and plan.refused is None
    assert plan.items[0].current is None and plan.items[1].current == "Rosa"
    assert plan.items[2].kind == "family_member" and plan.items[2].client == "Rosa Quintanilla Demo"
    assert "deleted" in plan.items[3].reason.message()
    assert "not in this vault" in plan.items[4].reason.message()
    assert store.get(client.id).data.get("notes") is None  # planning writes nothing


def test_a_file_from_another_vault_is_planned_and_says_so(store, rosa):
    client, _child = rosa
    edits = edits_for(store, {(client.id, "notes"): "n"}, vault_id="00000000-0000-4000-8000-000000000000")
    plan = ue.plan(store, edits)
    assert plan.other_vault and [item.status for item in plan] == [ue.APPLIES]


def test_apply_stores_everything_that_applies_in_one_go_and_twice_is_a_no_op(store, rosa):
    client, child = rosa
    edits = edits_for(
        store,
        {
            (client.id, "notes"): "Trae la constancia",
            (client.id, "a_number"): "A 201-555-014",
            (child.id, "whereabouts"): "Con su tía",
            ("missing-record", "notes"): "x",
        },
    )
    report = ue.apply(store, edits)
    assert (report.applied, report.already, report.cannot) == (3, 0, 1)
    assert report.clients == {client.id}
    assert store.get(client.id).data["notes"] == "Trae la constancia"
    assert store.get(client.id).data["a_number"] == "201555014"  # the store's own normalising
    assert store.get(child.id).data["whereabouts"] == "Con su tía"
    rev = store.get(client.id).rev
    before = store.snapshot()
    again = ue.apply(store, edits)
    assert (again.applied, again.already, again.cannot) == (0, 3, 1)
    assert store.snapshot() == before and store.get(client.id).rev == rev


def test_a_refused_value_refuses_the_whole_file_and_names_the_field(store, rosa):
    client, child = rosa
    edits = edits_for(
        store,
        {(client.id, "notes"): "Válida", (child.id, "date_of_birth"): "2019-13-45"},
    )
    plan = ue.plan(store, edits)
    assert [item.status for item in plan] == [ue.APPLIES, ue.REFUSED]
    before = store.snapshot()
    with pytest.raises(ValidationError) as err:
        ue.apply(store, edits)
    assert err.value.field == "date_of_birth"
    assert "Nothing was applied: change 2 of 2 (field “date_of_birth”)" in err.value.message()
    assert store.snapshot() == before  # the valid note was not stored either


def test_a_failure_while_storing_leaves_nothing(store, rosa, monkeypatch):
    client, child = rosa
    edits = edits_for(store, {(client.id, "notes"): "uno", (child.id, "whereabouts"): "dos"})
    real = store.set_field
    calls = []

    def second_fails(record_id, path, value):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(record_id, path, value)

    monkeypatch.setattr(store, "set_field", second_fails)
    before = store.snapshot()
    with pytest.raises(OSError):
        ue.apply(store, edits)
    assert calls == ["notes", "whereabouts"] and store.snapshot() == before


# -- the command line ----------------------------------------------------------------------------------
@pytest.fixture
def saved_file(tmp_path, vault_path, policy, passphrase):
    """A vault with a fictional client, and a file of two unsaved changes to it (one to a record a
    salvage lost); returns (file, passphrase file, client id)."""
    from desktop.case.store import CaseStore
    from desktop.vault.database import create_vault

    with create_vault(vault_path, passphrase, policy) as vault:
        store = CaseStore(vault)
        client = store.create("client", {"given_names": "Marisol", "family_names": "Ejemplo"})
        doc = ue.build_document(
            {(client.id, "notes"): "Secreto 4471", ("lost-record", "notes"): "x"}, store, vault.vault_id
        )
    target = tmp_path / "unsaved.age"
    ue.write(target, doc, FILE_PASSPHRASE)
    pass_file = tmp_path / "file-passphrase.txt"
    pass_file.write_text(FILE_PASSPHRASE + "\n")
    return target, pass_file, client.id


def _notes(vault_path, policy, passphrase, client_id):
    from desktop.case.store import CaseStore
    from desktop.vault.database import open_vault, unlock

    with open_vault(vault_path, unlock(vault_path, passphrase, policy)) as vault:
        return CaseStore(vault).get(client_id).data.get("notes")


def test_cli_dry_run_then_apply_then_again(run, saved_file, vault_path, policy, passphrase):
    target, pass_file, client_id = saved_file
    args = ("vault", "apply-unsaved", vault_path, target, "--file-passphrase-file", pass_file)
    code, out, err = run(*args, "--dry-run")
    assert (code, err) == (0, "")
    assert "Marisol Ejemplo, notes: to apply" in out
    assert "(client unknown), notes: cannot apply: the record is not in this vault" in out
    assert "Nothing was changed (--dry-run): 1 to apply, 0 already there, 1 cannot apply." in out
    assert "4471" not in out  # the values are not printed
    assert _notes(vault_path, policy, passphrase, client_id) is None

    code, out, err = run(*args)
    assert (code, err) == (0, "")
    assert "Marisol Ejemplo, notes: applied" in out and "Applied 1, already there 0, cannot apply 1." in out
    assert _notes(vault_path, policy, passphrase, client_id) == "Secreto 4471"
    code, out, _err = run(*args)
    assert code == 0 and "Marisol Ejemplo, notes: already there" in out and "Applied 0," in out


def test_cli_a_wrong_file_passphrase_is_one_message(cli, passphrase, saved_file, vault_path, tmp_path):
    target, _pass_file, _client_id = saved_file
    runner = cli(env={"DECLARA_PASSPHRASE": passphrase}, answers=["not the file's passphrase"])
    code, out, err = runner("vault", "apply-unsaved", vault_path, target)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "cannot be opened with this passphrase" in err


def test_cli_in_spanish(cli, passphrase, saved_file, vault_path):
    target, pass_file, _client_id = saved_file
    runner = cli(env={"DECLARA_PASSPHRASE": passphrase, "LANG": "es_MX.UTF-8"})
    code, out, _err = runner(
        "vault", "apply-unsaved", vault_path, target, "--file-passphrase-file", pass_file, "--dry-run"
    )
    assert code == 0 and "Marisol Ejemplo, notes:" in out
