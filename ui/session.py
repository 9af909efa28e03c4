"""The presenter between views and the vault: views emit intents, the session calls ``desktop``
services and tells the views the result. It owns the autosave queue: an edit is stored at most
``AUTOSAVE_MS`` after the last keystroke (well within a second), and everything pending is stored
before a lock, a close or a navigation.

Views refresh from its signals, whoever made the change: ``field_saved`` for one field stored,
``records_changed(client id, kind)`` when records of a kind were created, deleted, restored,
reordered or changed through a ``desktop`` service (a declaration operation is kind
``declaration``), and ``vault_changed`` when records of any client may have changed (a sync file
applied, conflicts resolved)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.case.clients import ClientRow, client_rows
from desktop.errors import DeclaraError, ValidationError, VaultCorrupt
from desktop.case.model import Record
from desktop.case.store import CaseStore
from desktop.drafting.declarations import DeclarationService, Version
from desktop.vault.database import Vault
from desktop.interview.visits import Clock, VisitService
from ui import save_failures

if TYPE_CHECKING:
    from desktop.evidence.service import DocumentService
    from desktop.filing.packet import PacketService

AUTOSAVE_MS = 300
T = TypeVar("T")


class Session(QObject):
    saved = Signal()  # something was stored
    field_saved = Signal(str, str, object)  # record id, path, Record
    field_refused = Signal(str, str, object)  # record id, path, ValidationError
    failed = Signal(object)  # saving started failing: a DeclaraError naming why (disk full, damage …)
    recovered = Signal()  # a save succeeded again after a failure: every pending edit is stored
    records_changed = Signal(str, str)  # client id, kind
    vault_changed = Signal()  # records of any client may have changed
    editing = Signal()  # an edit is waiting to be stored

    def __init__(self, vault: Vault, parent: QObject | None = None, clock: Clock = datetime.now) -> None:
        super().__init__(parent)
        self.vault = vault
        self.store = CaseStore(vault)
        self.visits = VisitService(self.store, clock)
        self.declarations = DeclarationService(self.store)
        self._pending: dict[tuple[str, str], Any] = {}
        self._exported: dict[tuple[str, str], Any] | None = None  # the edits last saved to a file
        self.failure: DeclaraError | None = None  # why the last autosave failed, until one succeeds
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.flush)

    @cached_property
    def documents(self) -> DocumentService:
        """The document service of this vault (made on first use: its imports are not free)."""
        from desktop.evidence.service import DocumentService

        return DocumentService(self.store)

    @cached_property
    def packets(self) -> PacketService:
        """The filing-packet service of this vault (made on first use)."""
        from desktop.filing.packet import PacketService

        return PacketService(self.store, self.documents)

    # -- reading ---------------------------------------------------------------------------------
    def client_rows(self, today: date | None = None) -> list[ClientRow]:
        with self._storing():
            return client_rows(self.vault.conn, today)

    def search(self, query: str) -> set[str] | None:
        query = query.strip()
        if not query:
            return None
        # the clients found by their records, and those whose documents' titles or text match
        with self._storing():
            return {client_id for client_id, _document in self.documents.search(query)}

    def get(self, record_id: str) -> Record:
        with self._storing():
            return self.store.get(record_id)

    def children(self, client_id: str, kind: str, parent_id: str | None = None) -> list[Record]:
        with self._storing():
            return self.store.children(client_id, kind, parent_id)

    def chronology_issues(self, client_id: str) -> list[Any]:
        from desktop.case import chronology

        return chronology.check(self.store, client_id)

    def duplicate(self, record_id: str) -> Record:
        self.flush()
        self._writable()
        with self._storing():
            original = self.store.get(record_id)
            copy = self.store.create(
                original.kind, original.data, client_id=original.client_id, parent_id=original.parent_id
            )
        self.saved.emit()
        self.records_changed.emit(copy.client_id, copy.kind)
        return copy

    def move_among_same_date(self, record_id: str, delta: int) -> bool:
        """Swap an event with its neighbour when both have the same date bounds."""
        self.flush()
        self._writable()
        record = self.get(record_id)
        siblings = self.children(record.client_id, record.kind, record.parent_id)
        index = next(i for i, r in enumerate(siblings) if r.id == record_id)
        other_index = index + delta
        if not 0 <= other_index < len(siblings):
            return False
        other = siblings[other_index]
        if (other.date_lo, other.date_hi) != (record.date_lo, record.date_hi):
            return False
        low, high = sorted((record.position, other.position))
        if low == high:
            high = low + 1
        first, second = (record, other) if delta < 0 else (other, record)
        with self._storing(), self.vault.transaction():
            self.store.move(first.id, low)
            self.store.move(second.id, high)
        self.saved.emit()
        self.records_changed.emit(record.client_id, record.kind)
        return True

    # -- autosave --------------------------------------------------------------------------------
    def edit(self, record_id: str, path: str, value: Any) -> None:
        self._pending[(record_id, path)] = value
        self._exported = None
        if not self.damaged:  # a damaged vault is never written again: the edit waits here
            self._timer.start()
        self.editing.emit()

    @property
    def has_pending(self) -> bool:
        return bool(self._pending)

    def pending_edits(self) -> dict[tuple[str, str], Any]:
        """What was typed and is not stored yet: (record id, field path) → value."""
        return dict(self._pending)

    @property
    def damaged(self) -> bool:
        """The vault reported damage: nothing is written to it again (see ui.save_failures)."""
        return save_failures.is_damaged(self.vault)

    @property
    def exported_current(self) -> bool:
        """The unsaved edits, as they are now, were saved to a file."""
        return self._exported is not None and self._exported == self._pending

    def mark_exported(self) -> None:
        self._exported = dict(self._pending)

    def flush(self) -> bool:
        """Store every pending edit; False if any was refused or failed.

        A refused value (ValidationError) is dropped from the queue, its field says why and keeps
        the text. A failure to store (damage, a full disk, a read-only disk …) keeps that edit and
        every other one not stored yet in the queue; ``failed`` is emitted once when saving starts
        failing (the one dialog), ``recovered`` when a later flush stores everything. Nothing is
        retried until the next edit or flush, and never on a damaged vault."""
        self._timer.stop()
        if not self._pending:
            return True
        if self.damaged:
            self._fail(self.failure or save_failures.damage_error())
            return False
        ok = True
        for key in list(self._pending):
            if key not in self._pending:
                continue  # stored by a flush called from a slot below
            record_id, path = key
            value = self._pending.pop(key)
            try:
                with save_failures.storing(self.vault):
                    record = self.store.set_field(record_id, path, value)
            except ValidationError as exc:
                ok = False
                self.field_refused.emit(record_id, path, exc)
            except DeclaraError as exc:
                self._pending.setdefault(key, value)  # kept: the widget still shows it
                self._fail(exc)
                return False
            else:
                self.field_saved.emit(record_id, path, record)
                self.saved.emit()
        if self.failure is not None and not self._pending:
            self.failure = None
            self._exported = None
            self.recovered.emit()
        return ok

    def _fail(self, error: DeclaraError) -> None:
        """Saving fails: tell the window once (and again only when the cause changes)."""
        known = self.failure
        self.failure = error
        if known is None or save_failures.cause_of(known) != save_failures.cause_of(error):
            self.failed.emit(error)

    @contextmanager
    def _storing(self) -> Iterator[None]:
        """Around a read or a write that is not an autosave: raw errors named; damage seen here
        also puts the window in the failure state (its dialog is the caller's)."""
        try:
            with save_failures.storing(self.vault):
                yield
        except VaultCorrupt as exc:
            if self.failure is None:
                self.failure = exc
            raise

    def _writable(self) -> None:
        """Before a write that is not an autosave: never on a damaged vault (the error is shown)."""
        if self.damaged:
            raise self.failure if isinstance(self.failure, VaultCorrupt) else save_failures.damage_error()

    # -- records ---------------------------------------------------------------------------------
    def create(
        self, kind: str, data: dict[str, Any], *, client_id: str | None = None, parent_id: str | None = None
    ) -> Record:
        self.flush()
        self._writable()
        with self._storing():
            record = self.store.create(kind, data, client_id=client_id, parent_id=parent_id)
        self.saved.emit()
        self.records_changed.emit(record.client_id, kind)
        return record

    def delete(self, record_id: str) -> Record:
        self.flush()
        self._writable()
        with self._storing():
            self.store.delete(record_id)
            record = self.store.get(record_id)
        self.saved.emit()
        self.records_changed.emit(record.client_id, record.kind)
        return record

    def undelete(self, record_id: str) -> Record:
        self._writable()
        with self._storing():
            self.store.undelete(record_id)
            record = self.store.get(record_id)
        self.saved.emit()
        self.records_changed.emit(record.client_id, record.kind)
        return record

    def change(self, kind: str, client_id: str, change: Callable[[], T]) -> T:
        """Store a change made through a ``desktop`` service (a declaration operation, a visit, an
        event from an answer …): what is pending first, then ``change()``, then tell the views."""
        self.flush()
        self._writable()
        with self._storing():
            result = change()
        self.saved.emit()
        self.records_changed.emit(client_id, kind)
        return result

    def import_case(self, doc: dict[str, Any]) -> str:
        """Import a case file's document as a new client; its id."""
        from desktop.case.casefile import import_case

        self.flush()
        self._writable()
        with self._storing():
            client_id = import_case(self.store, doc)
        self.saved.emit()
        self.records_changed.emit(client_id, "client")
        return client_id

    def ensure_draft(self, client_id: str) -> tuple[Version, bool]:
        """The declaration's draft version, and whether it was made now (from the signed version, on
        the first edit after signing: the views are told)."""
        current = self.declarations.current(client_id)
        if current is not None and not current.signed:
            return current, False
        self._writable()
        with self._storing():
            draft = self.declarations.ensure_draft(client_id)
        self.records_changed.emit(client_id, "declaration")
        return draft, True

    def reloaded(self) -> None:
        """Records of any client may have changed behind the views' back (a sync file was applied,
        conflicts were resolved): tell them."""
        self.vault_changed.emit()

    def close(self) -> None:
        """Store what is pending (never on a damaged vault), then close the vault."""
        try:
            self.flush()
        finally:
            self._timer.stop()
            self.vault.close()
