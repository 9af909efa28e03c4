"""Issue 19: a large sync file's lines are checked in worker processes while the importing process
writes (desktop.sync.checker). The workers must check exactly as the importing process does: the
same rows, the same first refusal in file order, nothing written when a line is refused."""

from __future__ import annotations

import json
import os
import random

import pytest

from desktop import sync
from desktop.errors import DeclaraError
from desktop.sync import checker, fileformat
from tests.desktop.test_limits import _Peers


@pytest.fixture
def peers(tmp_path, passphrase, policy):
    p = _Peers(tmp_path, passphrase, policy)
    yield p
    p.close()


def _lines(peers: _Peers, count: int) -> list[str]:
    """Clients with varied fields, each with an event (a date of each precision)."""
    dates = ["2019-05", "2019-05-14", "2019", "2019~", "2019-21", "[2018..2019]"]
    out = []
    for i in range(count):
        client = json.loads(peers.row(data={"given_names": f"Ana {i}", "family_names": "Pérez López"}))
        event = json.loads(peers.row(kind="event", client_id=client["id"], parent_id=None))
        event["data"] = {"date": dates[i % len(dates)], "text": {"es": f"Hecho {i}"}}
        out += [json.dumps(client, ensure_ascii=False), json.dumps(event)]
    return out


def _pieces(data: bytes, seed: int = 7):
    """``data`` in pieces of random sizes (as age and the ZIP hand them over)."""
    rng = random.Random(seed)
    pos = 0
    while pos < len(data):
        step = rng.randint(1, 3000)
        yield data[pos : pos + step]
        pos += step


def _run(data: bytes, workers: int):
    got, error = [], None
    try:
        for item in checker.checked(_pieces(data), workers=workers):
            got.append(item)
    except DeclaraError as exc:
        error = exc.message()
    return got, error


def test_workers_check_every_line_as_the_importing_process_does(peers, monkeypatch):
    monkeypatch.setattr(checker, "CHUNK_BYTES", 2048)  # a few records a chunk: many chunks
    lines = _lines(peers, 150)
    lines.insert(40, "")  # a blank line counts in the numbering, and is no record
    data = ("\n".join(lines) + "\n").encode()
    alone, error = _run(data, 0)
    assert error is None and len(alone) == 300
    assert [n for n, _v, _d in alone] == [n for n in range(1, 302) if n != 41]
    with_workers, error = _run(data, 2)
    assert error is None
    assert with_workers == alone
    # Each row as fileformat.check_line makes it (the one definition of a valid line).
    from desktop.case import codec

    number, values, _named = with_workers[-1]
    assert values == codec.row_values(fileformat.check_line(lines[number - 1].encode(), number))


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        ({150: "kind", 40: "duplicate of 10"}, "Record 40 "),  # the duplicate comes first
        ({150: "kind", 200: "duplicate of 10"}, "Record 150 "),
        ({299: "json"}, "Record 299 "),
    ],
)
def test_the_first_refusal_in_the_file_is_reported_with_workers(peers, monkeypatch, bad, expected):
    monkeypatch.setattr(checker, "CHUNK_BYTES", 2048)
    lines = _lines(peers, 150)
    for number, what in bad.items():
        if what == "kind":
            row = json.loads(lines[number - 1])
            lines[number - 1] = json.dumps(dict(row, kind="nonsense"))
        elif what == "json":
            lines[number - 1] = lines[number - 1][:-3]
        else:
            lines[number - 1] = lines[9]
    data = ("\n".join(lines) + "\n").encode()
    alone, error_alone = _run(data, 0)
    with_workers, error = _run(data, 2)
    assert error is not None and error.startswith(expected), error
    assert error == error_alone
    assert with_workers == alone  # the same lines were handed over before the refusal
    assert all(n < int(expected.split()[1]) for n, _v, _d in with_workers)


def test_an_import_with_workers_writes_every_record_or_none(peers, monkeypatch):
    monkeypatch.setenv(checker.WORKERS_ENV, "2")
    monkeypatch.setattr(checker, "CHUNK_BYTES", 4096)
    peers.trust()
    lines = _lines(peers, 200)
    bad = list(lines)
    bad[-1] = json.dumps(dict(json.loads(bad[-1]), rev=0))  # the very last line: all before it written
    before = peers.office.snapshot()
    with pytest.raises(sync.SyncError, match="Record 400 "):
        sync.import_sync(peers.office.vault, peers.file(bad), backup=False)
    assert peers.office.snapshot() == before
    result = sync.import_sync(peers.office.vault, peers.file(lines), backup=False)
    assert result.added == 400
    stored = dict(peers.office.vault.conn.execute("SELECT id, data FROM records"))
    for line in lines:
        row = json.loads(line)
        assert json.loads(stored[row["id"]]) == row["data"]


def test_a_worker_that_dies_stops_the_import_and_nothing_is_written(peers, monkeypatch):
    monkeypatch.setenv(checker.WORKERS_ENV, "1")
    monkeypatch.setattr(checker, "check_chunk", _die)
    peers.trust()
    before = peers.office.snapshot()
    with pytest.raises(sync.SyncError, match="ended unexpectedly"):
        sync.import_sync(peers.office.vault, peers.file(_lines(peers, 5)), backup=False)
    assert peers.office.snapshot() == before


def _die(chunk: bytes, first: int):
    os._exit(3)  # as a worker killed by the system would


def test_a_line_longer_than_the_limit_is_refused_without_reading_on(peers, monkeypatch):
    monkeypatch.setattr(fileformat, "MAX_LINE_BYTES", 5000)
    monkeypatch.setattr(checker, "CHUNK_BYTES", 1024)
    lines = _lines(peers, 3)
    lines[2] = json.dumps(dict(json.loads(lines[2]), ref="x" * 20000))
    read = []

    def pieces():
        data = ("\n".join(lines) + "\n").encode()
        for start in range(0, len(data), 512):
            read.append(start)
            yield data[start : start + 512]

    for workers in (0, 1):
        read.clear()
        with pytest.raises(sync.SyncError, match="Record 3 .*JSON"):
            list(checker.checked(pieces(), workers=workers))
        assert len(read) * 512 < 5000 + 1024 + 2 * 512 + len(lines[0]) + len(lines[1]) + 4


def test_how_many_workers(monkeypatch):
    monkeypatch.delenv(checker.WORKERS_ENV, raising=False)
    monkeypatch.setattr(checker.os, "cpu_count", lambda: 2)
    assert checker.workers_for(checker.WORKERS_FROM_BYTES - 1) == 0  # a day's sync: none
    assert checker.workers_for(checker.WORKERS_FROM_BYTES) == (
        2 if checker.sys.platform.startswith("linux") else 0
    )
    monkeypatch.setattr(checker.os, "cpu_count", lambda: 64)
    if checker.sys.platform.startswith("linux"):
        assert checker.workers_for(10**9) == checker.MAX_WORKERS
    monkeypatch.setenv(checker.WORKERS_ENV, "0")
    assert checker.workers_for(10**9) == 0
    monkeypatch.setenv(checker.WORKERS_ENV, "3")
    assert checker.workers_for(10) == (3 if checker.sys.platform.startswith("linux") else 0)
    monkeypatch.setattr(checker.sys, "platform", "darwin")  # forking is Linux only
    assert checker.workers_for(10**9) == 0


def test_records_read_again_must_be_the_ones_the_manifest_names(peers):
    peers.trust()
    data = peers.file(_lines(peers, 3))
    own = sync.identity(peers.office.vault)
    good = fileformat.read_sync_file(peers.office.vault, data)
    whole = b"".join(fileformat._stream_records(data, own, good.records_sha256, good.records_size))
    assert whole == bytes(good.records_jsonl)
    for sha, size in (("0" * 64, good.records_size), (good.records_sha256, good.records_size - 1)):
        with pytest.raises(sync.SyncError, match="damaged"):
            b"".join(fileformat._stream_records(data, own, sha, size))


def test_a_sync_file_and_an_identity_never_show_plaintext_or_keys_in_a_repr(peers):
    """A repr ends up in tracebacks and logs: the records, the file and the keys stay out of it."""
    peers.trust()
    data = peers.file([peers.row(data={"given_names": "Fictitia Reprova"})])
    found = fileformat.read_sync_file(peers.office.vault, data)
    own = sync.identity(peers.office.vault)
    shown = repr(found) + repr(own)
    assert "Fictitia" not in shown and "AGE-SECRET-KEY" not in shown and own.age_identity not in shown
    assert found.sender.name in repr(found)  # the rest is still shown
