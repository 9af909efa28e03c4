"""Atomic file writes (desktop.vault.fsutil): the old file or the new one, never half; 0600; no debris."""

from __future__ import annotations

import os
import stat

import pytest

from desktop.vault import fsutil


@pytest.fixture
def permissive_umask():
    """A umask that lets group and others read: the file mode must come from write_atomic itself."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_writes_a_new_file_0600_and_nothing_else(tmp_path, permissive_umask):
    target = tmp_path / "export.json"
    fsutil.write_atomic(target, b'{"a":1}')
    assert target.read_bytes() == b'{"a":1}'
    assert _mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["export.json"]  # no temporary file left behind


def test_replaces_an_existing_file_and_the_result_is_0600(tmp_path, permissive_umask):
    target = tmp_path / "header.json"
    target.write_bytes(b"old content, longer than the new one")
    target.chmod(0o644)
    fsutil.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert _mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["header.json"]


def test_empty_data(tmp_path):
    target = tmp_path / "empty"
    fsutil.write_atomic(target, b"")
    assert target.exists() and target.read_bytes() == b""


@pytest.mark.parametrize(
    ("step", "error"),
    [
        ("replace", OSError(28, "No space left on device")),  # the rename over the old file
        ("fsync", OSError(5, "Input/output error")),  # the new data cannot reach the disk
    ],
)
def test_old_file_kept_and_no_temporary_file_when_a_step_fails(tmp_path, monkeypatch, step, error):
    target = tmp_path / "header.json"
    target.write_bytes(b"old")

    def fail(*_a, **_k):
        raise error

    monkeypatch.setattr(os, step, fail)
    with pytest.raises(OSError) as raised:
        fsutil.write_atomic(target, b"new")
    assert raised.value is error
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["header.json"]


def test_never_writes_through_a_file_already_at_the_temporary_name(tmp_path, monkeypatch):
    """The temporary file is created exclusively: a planted file (or link) there is not followed."""
    target = tmp_path / "card.json"
    target.write_bytes(b"old")
    monkeypatch.setattr(fsutil.secrets, "token_hex", lambda _n: "abcd1234")
    planted = tmp_path / ".card.json.abcd1234.tmp"
    planted.write_bytes(b"planted")
    with pytest.raises(FileExistsError):
        fsutil.write_atomic(target, b"new")
    assert planted.read_bytes() == b"planted"
    assert target.read_bytes() == b"old"


def test_the_folder_is_synced_after_the_rename(tmp_path, monkeypatch):
    calls: list[tuple[str, object]] = []
    real_replace, real_fsync_dir = os.replace, fsutil.fsync_dir

    def replace(src, dst):
        calls.append(("replace", dst))
        real_replace(src, dst)

    def fsync_dir(folder):
        calls.append(("fsync_dir", folder))
        real_fsync_dir(folder)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(fsutil, "fsync_dir", fsync_dir)
    target = tmp_path / "sync.declara-sync"
    fsutil.write_atomic(target, b"data")
    assert calls == [("replace", target), ("fsync_dir", tmp_path)]


@pytest.mark.skipif(os.name != "posix", reason="directories are synced on POSIX only")
def test_fsync_dir_syncs_that_folder_and_closes_it(tmp_path, monkeypatch):
    synced: list[tuple[int, int]] = []
    real_fsync = os.fsync

    def fsync(fd):
        synced.append((fd, os.fstat(fd).st_ino))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    fsutil.fsync_dir(tmp_path)
    assert [inode for _fd, inode in synced] == [tmp_path.stat().st_ino]
    with pytest.raises(OSError):
        os.fstat(synced[0][0])  # the descriptor was closed


def test_fsync_dir_of_a_missing_folder_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        fsutil.fsync_dir(tmp_path / "missing")
