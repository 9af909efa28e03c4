"""The case store: the one service through which records are read and written.

Every write validates the record's fields, normalises A-numbers, computes date bounds, bumps the
revision, stamps the time and the device, keeps the search index and the client summary current,
and happens inside a vault transaction (all or nothing). Deletion is a tombstone (``deleted = 1``)
carried to the record's children, so it can be synced and undone. The rows themselves are read
and written by :mod:`desktop.case.codec` (the only code that writes ``records``; data stored as
canonical JSON).
"""

from __future__ import annotations

import copy
from copy import deepcopy as _deepcopy
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from desktop.case import codec, search
from desktop.case.anumber import format_a_number, is_a_number, parse_a_number
from desktop.errors import NotFound, SignedVersion, ValidationError
from desktop.i18n import N_
from desktop.case.model import A_NUMBER_FIELDS, DATE_FIELD, KINDS, PARENT_KIND, Record, validate_record
from desktop.case.model import upgrade_relief
from desktop.vault.database import Vault, new_uuid, now_iso


def get_path(data: dict[str, Any], path: str) -> Any:
    """The value at the dotted ``path`` of ``data`` (None where a step is missing or not an object)."""
    node: Any = data
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def set_path(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``data`` with the dotted ``path`` set (a value of None removes nothing: it is null)."""
    out = copy.deepcopy(data)
    node = out
    parts = path.split(".")
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[parts[-1]] = value
    return out


def normalise_record(
    kind: str,
    data: dict[str, Any],
    base: str = "$",
    *,
    copy: bool = True,
    texts_checked: bool = False,
    previous: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], str | None, str | None]:
    """Validate a record's fields; return them with A-numbers as 9 digits, and the date bounds
    (earliest and latest day) used for sorting. Every way into the vault goes through here.
    ``copy=False`` normalises ``data`` in place (for data the caller owns, such as freshly parsed);
    ``texts_checked``: parsed by desktop.limits.load_json (see model.validate_record)."""
    from desktop.case.dates import sort_bounds

    problems = validate_record(kind, data, base, texts_checked=texts_checked, previous=previous)
    if problems:
        raise problems[0] if len(problems) == 1 else _Multiple(problems)
    if copy:
        data = _deepcopy(data)
    for key in A_NUMBER_FIELDS.get(kind, ()):
        if data.get(key):
            data[key] = parse_a_number(data[key], field=f"{base}.{key}")
    if kind == "declaration":
        upgrade_relief(data)  # an older file's "in support of" phrase becomes relief keys
    lo = hi = None
    date_field = DATE_FIELD.get(kind)
    if date_field and isinstance(data.get(date_field), str):
        lo, hi = sort_bounds(data[date_field])
    return data, lo, hi


class CaseStore:
    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    @property
    def conn(self) -> Any:
        return self.vault.conn

    # -- normalisation -------------------------------------------------------------------------
    def _normalise(
        self, kind: str, data: dict[str, Any], base: str = "$", previous: dict[str, Any] | None = None
    ) -> tuple[dict[str, Any], str | None, str | None]:
        return normalise_record(kind, data, base, previous=previous)

    # -- writing -------------------------------------------------------------------------------
    def create(
        self,
        kind: str,
        data: dict[str, Any],
        *,
        client_id: str | None = None,
        parent_id: str | None = None,
        position: int | None = None,
        ref: str | None = None,
        record_id: str | None = None,
    ) -> Record:
        if kind not in KINDS:
            raise ValueError(f"unknown record kind {kind!r}")
        data, lo, hi = self._normalise(kind, data)
        rid = record_id or new_uuid()
        if kind == "client":
            client_id = rid
        elif client_id is None:
            raise ValueError("client_id is required")
        if kind in PARENT_KIND and parent_id is None:
            raise ValueError(f"a {kind} needs its {PARENT_KIND[kind]}")
        now = now_iso()
        with self.vault.transaction() as conn:
            if position is None:
                row = conn.execute(
                    "SELECT coalesce(max(position) + 1, 0) FROM records "
                    "WHERE client_id = ? AND kind = ? AND parent_id IS ?",
                    (client_id, kind, parent_id),
                ).fetchone()
                position = int(row[0])
            record = Record(
                id=rid,
                kind=kind,
                client_id=client_id,
                parent_id=parent_id,
                position=position,
                ref=ref,
                data=data,
                rev=1,
                created_at=now,
                updated_at=now,
                origin=self.vault.device_id,
                date_lo=lo,
                date_hi=hi,
            )
            codec.insert(conn, record)
            codec.refresh(conn, record)
        return self.get(rid)

    def _refuse_if_signed(self, record: Record) -> None:
        """A signed declaration and its paragraphs are frozen (sworn under 28 U.S.C. § 1746)."""
        declaration = record
        if record.kind == "paragraph" and record.parent_id:
            declaration = self.get(record.parent_id)
        if declaration.kind == "declaration" and declaration.data.get("status") == "signed":
            raise SignedVersion(
                N_("This version is signed and cannot change; edits go into a new draft version.")
            )

    def update(self, record_id: str, data: dict[str, Any]) -> Record:
        """Replace the fields of a record (validated); a no-op when nothing changed."""
        current = self.get(record_id)
        self._refuse_if_signed(current)
        data, lo, hi = self._normalise(current.kind, data, previous=current.data)
        if data == current.data:
            return current
        with self.vault.transaction() as conn:
            codec.update(
                conn,
                record_id,
                data=data,
                date_lo=lo,
                date_hi=hi,
                updated_at=now_iso(),
                origin=self.vault.device_id,
            )
            codec.refresh(conn, replace(current, data=data))
        return self.get(record_id)

    def set_field(self, record_id: str, path: str, value: Any) -> Record:
        """Change one field ('custody.status'); what the UI's autosave calls."""
        current = self.get(record_id)
        try:
            return self.update(record_id, set_path(current.data, path, value))
        except ValidationError as exc:
            # Named as the edited field when the problem is in it (the window shows it there);
            # a problem elsewhere in the record keeps its own name.
            where = (exc.field or "").removeprefix("$").removeprefix(".")
            if not where or where == path or where.startswith((path + ".", path + "[")):
                exc.field = path
            raise

    def move(self, record_id: str, position: int) -> Record:
        self._refuse_if_signed(self.get(record_id))
        with self.vault.transaction() as conn:
            codec.update(
                conn, record_id, position=position, updated_at=now_iso(), origin=self.vault.device_id
            )
        return self.get(record_id)

    def delete(self, record_id: str) -> None:
        self._set_deleted(record_id, True)

    def undelete(self, record_id: str) -> None:
        self._set_deleted(record_id, False)

    def _set_deleted(self, record_id: str, deleted: bool) -> None:
        record = self.get(record_id)
        if record.kind in ("declaration", "paragraph"):
            self._refuse_if_signed(record)
        ids = [record_id] + self._descendants(record)
        with self.vault.transaction() as conn:
            codec.set_deleted(conn, ids, deleted, updated_at=now_iso(), origin=self.vault.device_id)
            codec.refresh(conn, replace(record, deleted=deleted))

    def _descendants(self, record: Record) -> list[str]:
        if record.kind == "client":
            rows = self.conn.execute(
                "SELECT id FROM records WHERE client_id = ? AND id != ?", (record.id, record.id)
            )
            return [r[0] for r in rows]
        out: list[str] = []
        frontier = [record.id]
        while frontier:
            marks = ",".join("?" * len(frontier))
            rows = self.conn.execute(f"SELECT id FROM records WHERE parent_id IN ({marks})", frontier)
            frontier = [r[0] for r in rows]
            out += frontier
        return out

    # -- reading -------------------------------------------------------------------------------
    def get(self, record_id: str) -> Record:
        record = codec.fetch(self.conn, record_id)
        if record is None:
            raise NotFound(N_("No such record."))
        return record

    def children(
        self, client_id: str, kind: str, parent_id: str | None = None, *, include_deleted: bool = False
    ) -> list[Record]:
        """Records of ``kind`` of a client (or of one parent), in their natural order."""
        sql = f"SELECT {codec.SELECT} FROM records WHERE client_id = ? AND kind = ?"
        params: list[Any] = [client_id, kind]
        if parent_id is not None:
            sql += " AND parent_id = ?"
            params.append(parent_id)
        if not include_deleted:
            sql += " AND deleted = 0"
        if kind == "event":
            sql += " ORDER BY date_lo IS NULL, date_lo, date_hi IS NULL, date_hi, position, created_at"
        else:
            sql += " ORDER BY position, created_at"
        return [codec.from_row(r) for r in self.conn.execute(sql, params)]

    def clients(self, *, include_deleted: bool = False) -> list[Record]:
        sql = f"SELECT {codec.SELECT} FROM records WHERE kind = 'client'"
        if not include_deleted:
            sql += " AND deleted = 0"
        sql += " ORDER BY json_extract(data, '$.family_names'), json_extract(data, '$.given_names')"
        return [codec.from_row(r) for r in self.conn.execute(sql)]

    def count(self, kind: str) -> int:
        return int(
            self.conn.execute(
                "SELECT count(*) FROM records WHERE kind = ? AND deleted = 0", (kind,)
            ).fetchone()[0]
        )

    def search(self, query: str, limit: int | None = None) -> list[str]:
        return search.search_clients(self.conn, query, limit)

    def find_clients_by_a_number(self, digits: str) -> list[Record]:
        rows = self.conn.execute(
            f"SELECT {codec.SELECT} FROM records WHERE kind = 'client' AND deleted = 0 "
            "AND json_extract(data, '$.a_number') = ?",
            (digits,),
        )
        return [codec.from_row(r) for r in rows]

    def resolve_client(self, token: str) -> Record:
        """A client by its UUID or its A-number in any accepted spelling."""
        token = token.strip()
        row = self.conn.execute(
            f"SELECT {codec.SELECT} FROM records WHERE id = ? AND kind = 'client' AND deleted = 0", (token,)
        ).fetchone()
        if row is not None:
            return codec.from_row(row)
        if is_a_number(token):
            matches = self.find_clients_by_a_number(parse_a_number(token))
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise NotFound(
                    N_("More than one client has A-number {a_number}; use the client's id."),
                    a_number=format_a_number(parse_a_number(token)),
                )
        raise NotFound(N_("No client with the id or A-number “{token}”."), token=token)

    def snapshot(self) -> list[tuple[Any, ...]]:
        """Every row of the records table, for tests that assert nothing changed."""
        return list(self.conn.execute(f"SELECT {codec.SELECT} FROM records ORDER BY id"))


class _Multiple(ValidationError):
    """Several problems with one record; shows them all."""

    def __init__(self, problems: Iterable[ValidationError]) -> None:
        self.problems = list(problems)
        super().__init__(self.problems[0].msgid, field=self.problems[0].field, **self.problems[0].params)

    def message(self) -> str:
        return "\n".join(f"{p.field}: {p.message()}" if p.field else p.message() for p in self.problems)
