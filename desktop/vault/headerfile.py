"""The key header's two files: ``keyheader.json`` and its copy ``keyheader.copy.json``.

Every header write goes to the main file first, then to the copy, each atomically
(:func:`desktop.vault.fsutil.write_atomic`). Reading falls back to the copy when the main file is
damaged or missing, and says so (:attr:`KeyHeader.source` is ``"copy"``; :func:`status` tells
``declara vault check``). A damaged header file is never written over without the user asking:
:func:`write_header` refuses, and :func:`repair` (``declara vault repair-header``) first moves the
damaged file aside, keeping it, then puts the good one back in its place.

Temporary files left by an interrupted header write (``.keyheader.json.<hex>.tmp``) are removed by
:func:`clean_stale_temp` after the next successful unlock.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from desktop.errors import DeclaraError, VaultError
from desktop.i18n import N_
from desktop.vault import fsutil
from desktop.vault import keyheader as kh

HEADER_NAME = "keyheader.json"
COPY_NAME = "keyheader.copy.json"
#: Temporary files of an interrupted write older than this are removed at the next unlock.
STALE_TEMP_SECONDS = 60


def main_path(path: Path) -> Path:
    return Path(path) / HEADER_NAME


def copy_path(path: Path) -> Path:
    return Path(path) / COPY_NAME


def _read_bounded(file: Path) -> bytes:
    """The file's bytes, refusing a file larger than a key header can be before reading it."""
    from desktop.limits import InputRefused, read_bounded

    try:
        return read_bounded(file, kh.MAX_HEADER_BYTES, N_("The vault's key header"))
    except InputRefused as exc:
        raise kh._damaged(exc.reason) from exc


def _parse(file: Path) -> tuple[kh.KeyHeader | None, DeclaraError | None, bytes | None]:
    """(header, None, raw) when the file is a sound header, (None, why, raw) when not, and
    (None, None, None) when it does not exist."""
    if not file.exists() and not file.is_symlink():
        return None, None, None
    try:
        raw = _read_bounded(file)
    except kh.KeyHeaderDamaged as exc:
        return None, exc, None
    except OSError as exc:
        return (
            None,
            VaultError(N_("The vault's key header cannot be read ({detail})."), detail=exc.strerror),
            None,
        )
    try:
        return kh.KeyHeader.from_json(raw), None, raw
    except kh.KeyHeaderDamaged as exc:
        return None, exc, raw


def read_header(path: Path) -> kh.KeyHeader:
    """The vault's key header: the main file, else its copy (``source == "copy"``)."""
    header, problem, _raw = _parse(main_path(path))
    if header is not None:
        return header
    copy, _copy_problem, _ = _parse(copy_path(path))
    if copy is not None:
        copy.source = "copy"
        return copy
    if problem is None:  # no main file: the copy's own problem (the layout check names a missing part)
        raise _copy_problem or kh._damaged("missing")
    if isinstance(problem, kh.KeyHeaderDamaged) and copy_path(path).exists():
        raise kh.KeyHeaderDamaged(
            N_(
                "The vault's key header and its copy are both damaged ({detail}). This is not a wrong "
                "passphrase. Nothing was changed; keep the folder as it is and put the keyheader.json "
                "of a backup of this vault in its place."
            ),
            detail=problem.params.get("detail", "?"),
        )
    raise problem


@dataclass(frozen=True)
class HeaderStatus:
    """How the two header files look: each "ok", "missing" or "damaged"; ``same`` when both are
    sound and identical."""

    main: str
    copy: str
    same: bool

    @property
    def healthy(self) -> bool:
        return self.main == "ok" and self.copy == "ok" and self.same


def status(path: Path) -> HeaderStatus:
    def state(file: Path) -> tuple[str, bytes | None]:
        header, problem, raw = _parse(file)
        if header is not None:
            return "ok", raw
        return ("damaged" if problem is not None else "missing"), None

    main, main_raw = state(main_path(path))
    copy, copy_raw = state(copy_path(path))
    return HeaderStatus(main=main, copy=copy, same=main_raw is not None and main_raw == copy_raw)


def notice(path: Path) -> DeclaraError | None:
    """What to tell the user about the header files after a successful unlock, or None."""
    st = status(path)
    if st.main != "ok" and st.copy == "ok":
        if st.main == "missing":
            msgid = N_(
                "The vault's key header ({name}) is missing; the vault was opened with its copy ({copy}). "
                "Put the copy back in place with “declara vault repair-header”."
            )
        else:
            msgid = N_(
                "The vault's key header ({name}) is damaged; the vault was opened with its copy ({copy}). "
                "Put the copy back in place with “declara vault repair-header” (the damaged file is kept "
                "beside it)."
            )
        return VaultError(msgid, name=HEADER_NAME, copy=COPY_NAME)
    if st.main == "ok" and st.copy == "damaged":
        return VaultError(
            N_(
                "The copy of the vault's key header ({copy}) is damaged. The vault opened normally; "
                "renew the copy with “declara vault repair-header”."
            ),
            copy=COPY_NAME,
        )
    return None


def write_header(path: Path, header: kh.KeyHeader, *, keep_damaged: bool = False) -> None:
    """Write ``header`` to the main file, then to the copy. Refuses (nothing written) when either
    existing file is damaged: :func:`repair` first, so the damaged file is kept. With
    ``keep_damaged`` (a recovery the user asked for) a damaged file is moved aside instead."""
    st = status(path)
    _refuse_two_vaults(path, st)  # (FAULTS) never write one vault's header over another's
    if keep_damaged:
        for file, state in ((main_path(path), st.main), (copy_path(path), st.copy)):
            if state == "damaged":
                _move_aside(file)
    elif "damaged" in (st.main, st.copy):
        raise kh.KeyHeaderDamaged(
            N_(
                "The vault's key header ({name}) is damaged, so it was not written over. Nothing was "
                "changed. Run “declara vault repair-header” first (it keeps the damaged file)."
            ),
            name=HEADER_NAME if st.main == "damaged" else COPY_NAME,
        )
    data = header.to_json()
    fsutil.write_atomic(main_path(path), data)
    fsutil.write_atomic(copy_path(path), data)


def _refuse_two_vaults(path: Path, st: HeaderStatus) -> None:
    """Both files are sound headers but of different vaults (a file copied in from another
    vault): neither may be written over the other, since only one of them opens the database."""
    if st.main != "ok" or st.copy != "ok" or st.same:
        return
    ids = {h.vault_id for h in (_parse(main_path(path))[0], _parse(copy_path(path))[0]) if h is not None}
    if len(ids) > 1:
        raise kh.KeyHeaderDamaged(
            N_(
                "The vault's key header ({name}) and its copy ({copy}) belong to different vaults, "
                "so neither was written over. Nothing was changed; keep the folder as it is."
            ),
            name=HEADER_NAME,
            copy=COPY_NAME,
        )


def write_new(path: Path, header: kh.KeyHeader) -> None:
    """The first write of a new vault's header (no file there yet)."""
    data = header.to_json()
    fsutil.write_atomic(main_path(path), data)
    fsutil.write_atomic(copy_path(path), data)


def repair(path: Path) -> str:
    """Make both header files sound again from the sound one; a damaged file is renamed
    ``keyheader.damaged-<UTC time>.json`` first (kept, never deleted). Returns what was done:
    "nothing", "main" (the main file was restored from the copy) or "copy" (the copy renewed)."""
    st = status(path)
    if st.healthy:
        return "nothing"
    _refuse_two_vaults(path, st)  # (FAULTS) a sound header of another vault is not "stale"
    if st.main != "ok" and st.copy != "ok":
        raise read_header_error(path)
    source, target = (
        (copy_path(path), main_path(path)) if st.main != "ok" else (main_path(path), copy_path(path))
    )
    raw = _read_bounded(source)
    kh.KeyHeader.from_json(raw)  # re-checked: it is about to become the other file too
    target_state = st.main if target == main_path(path) else st.copy
    if target_state == "damaged":  # kept beside, never deleted; a stale sound copy is replaced
        _move_aside(target)
    fsutil.write_atomic(target, raw)
    return "main" if target == main_path(path) else "copy"


def _move_aside(file: Path) -> Path:
    """Rename a damaged header file to ``keyheader.damaged-<UTC time>.json`` (kept, never deleted)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = file.with_name(f"keyheader.damaged-{stamp}.json")
    n = 1
    while aside.exists():
        n += 1
        aside = file.with_name(f"keyheader.damaged-{stamp}-{n}.json")
    os.replace(file, aside)
    fsutil.fsync_dir(file.parent)
    return aside


def read_header_error(path: Path) -> DeclaraError:
    try:
        read_header(path)
    except DeclaraError as exc:
        return exc
    return kh._damaged("?")  # pragma: no cover - only called when both files are unsound


def clean_stale_temp(path: Path) -> int:
    """Remove the temporary files of interrupted header writes (older than a minute, regular files
    only, never through a symlink). Returns how many were removed."""
    removed = 0
    now = time.time()
    for prefix in (f".{HEADER_NAME}.", f".{COPY_NAME}."):
        for tmp in Path(path).glob(f"{prefix}*.tmp"):
            try:
                st = tmp.lstat()
                if not tmp.is_symlink() and tmp.is_file() and now - st.st_mtime > STALE_TEMP_SECONDS:
                    tmp.unlink()
                    removed += 1
            except OSError:
                continue
    if removed:
        fsutil.fsync_dir(Path(path))
    return removed
