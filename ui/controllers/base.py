"""What every feature controller shares: the window it serves, the open session and client, its
actions, and the one place that says when an action can act (its enabling) and when a slot may
(``needs_vault``, ``needs_client``)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QKeySequence

    from desktop.case.model import Record
    from ui.main_window import MainWindow
    from ui.session import Session

F = TypeVar("F", bound=Callable[..., Any])
Condition = Callable[["MainWindow"], bool]  # when an action is enabled

#: The kinds of record the checks (chronology and declaration) read.
CHECKED_KINDS = frozenset({"client", "event", "paragraph", "declaration"})


def vault_open(window: MainWindow) -> bool:
    return window.session is not None


def on_record(window: MainWindow) -> bool:
    """A client's record is the page shown."""
    return window.session is not None and window.on_record


def guarded_by(ready: Callable[[Controller], bool]) -> Callable[[F], F]:
    """A decorator for controller slots: the slot does nothing unless ``ready(controller)``. The
    one place the “is a vault open / a client shown” guards live (with the actions' enabling)."""

    def decorate(method: F) -> F:
        @functools.wraps(method)
        def guarded(self: Controller, *args: Any, **kwargs: Any) -> Any:
            return method(self, *args, **kwargs) if ready(self) else None

        return guarded  # type: ignore[return-value]

    return decorate


#: The slot does nothing while no vault is open (its action is disabled then too).
needs_vault = guarded_by(lambda controller: controller.session is not None)
#: The slot does nothing unless a vault is open and a client's record is loaded.
needs_client = guarded_by(lambda controller: controller.client is not None)


class Controller(QObject):
    """One feature of the window. Subclasses create their actions in ``__init__`` and override
    :meth:`connect_views` (the workspace's pages exist), :meth:`session_changed` (a vault was
    opened, or closed: ``None``) and :meth:`retranslate` (the actions' texts)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        window.workspace_built.connect(self.connect_views)
        window.session_changed.connect(self.session_changed)

    @property
    def session(self) -> Session | None:
        return self.window.session

    @property
    def client(self) -> Record | None:
        """The client whose record is loaded (on the record page, or behind the list or a visit)."""
        return self.window.record.client if self.window.session is not None else None

    def is_shown(self, client_id: str) -> bool:
        client = self.client
        return client is not None and client.id == client_id

    def action(
        self,
        name: str,
        shortcut: str | QKeySequence.StandardKey | None,
        slot: Callable[[], Any],
        *,
        enabled: Condition | None = vault_open,
    ) -> QAction:
        """An action of the window (its shortcut works wherever the focus is), enabled when
        ``enabled(window)`` holds (always with None)."""
        return self.window.add_action(name, shortcut, slot, enabled)

    def status(self, text: Callable[[], str], msec: int) -> None:
        """Say ``text()`` in the status bar for ``msec``; said again in the other language if the
        interface language changes while it shows (:meth:`MainWindow.show_status`)."""
        self.window.show_status(text, msec)

    def refresh_section(self, kind: str, *, select: str | None = None) -> None:
        """Reload one list of the open client's record (a rebuttal list: the selected allegation's)."""
        assert self.session is not None and self.client is not None
        section = self.window.record.sections[kind]
        if kind == "rebuttal":
            if section.parent_id:
                records = self.session.children(self.client.id, kind, section.parent_id)
                section.set_records(records, select=select)
        else:
            section.set_records(self.session.children(self.client.id, kind), select=select)

    # -- for subclasses --------------------------------------------------------------------------
    def connect_views(self) -> None:
        """Connect the workspace's views (built on first use) to this controller."""

    def session_changed(self, session: Session | None) -> None:
        """Connect to a newly opened session's signals; ``None``: the vault was locked, forget
        every client's data shown."""

    def retranslate(self) -> None:
        """Set the actions' texts in the interface language."""
