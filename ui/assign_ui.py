"""Assignments from the window, on the office's vault (:mod:`desktop.sync.assignments`): the client
list's “Laptops” column, “Assign to…” and “Unassign from…” on the selected clients (menu, context
menu and shortcuts), and Sync ▸ Trusted devices… with each laptop's clients.

On a laptop's vault the column is absent and the two actions are hidden and disabled. The column
is read in one call when the list loads (:mod:`ui.models.laptops`); a change runs through
:func:`ui.ops.run_op`, in a worker thread when it is large, then the list reloads with the same
clients selected."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog

from desktop.i18n import _, ngettext
from ui import dialogs, ops
from ui.controllers.base import Controller, needs_vault
from ui.models.laptops import counts, is_office, laptop_names, load_cells

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from ui.main_window import MainWindow
    from ui.session import Session

#: The actions' keys (listed in Help ▸ Keyboard shortcuts: ui.main_window.SHORTCUTS).
ASSIGN_KEYS, UNASSIGN_KEYS = "Ctrl+Shift+L", "Ctrl+Shift+U"
#: The client list's column widths on the office's vault (the “Laptops” column takes the rest).
OFFICE_WIDTHS = {
    "NAME": 200,
    "A_NUMBER": 110,
    "FACILITY": 190,
    "CUSTODY": 100,
    "NEXT_HEARING": 170,
    "NEXT_DEADLINE": 180,
}
#: Above this many (client, laptop) pairs the change runs in a worker thread (over 50 ms).
BACKGROUND_PAIRS = 400


def peer_notes(vault: Any) -> dict[str, str]:
    """Device id → “12 clients assigned, 2 awaiting deletion” for each trusted laptop, on the
    office's vault (elsewhere: empty); shown where a trusted device is chosen (the export)."""
    if not is_office(vault):
        return {}
    totals = counts(vault)
    notes = {}
    for device in laptop_names(vault):
        assigned, pending = totals.get(device, (0, 0))
        note = ngettext("{count} client assigned", "{count} clients assigned", assigned)
        note = note.format(count=assigned)
        if pending:
            # Translators: clients unassigned from a laptop that it still holds until its next sync.
            waiting = ngettext("{count} awaiting deletion", "{count} awaiting deletion", pending)
            note += ", " + waiting.format(count=pending)
        notes[device] = note
    return notes


class AssignController(Controller):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.office = False
        self.act_assign = self.action("actAssign", ASSIGN_KEYS, self.assign, enabled=self._can_assign)
        self.act_unassign = self.action("actUnassign", UNASSIGN_KEYS, self.unassign, enabled=self._can_assign)
        self.act_devices = self.action("actSyncDevices", None, self.show_devices)
        self._show_actions()

    def add_to_menu(self, menu: QMenu) -> None:
        """Sync ▸ Trusted devices…, Assign to…, Unassign from… (after a separator)."""
        menu.addAction(self.act_devices)
        menu.addSeparator()
        menu.addAction(self.act_assign)
        menu.addAction(self.act_unassign)

    def _can_assign(self, window: MainWindow) -> bool:
        return (
            self.office
            and window.session is not None
            and window.on_list
            and window.client_list.table.selectionModel().hasSelection()
        )

    def _show_actions(self) -> None:
        for act in (self.act_assign, self.act_unassign):
            act.setVisible(self.office)

    def connect_views(self) -> None:
        from PySide6.QtCore import Qt  # here, not at import: the Qt namespace costs start-up 15 ms

        window = self.window
        table = window.client_list.table
        table.selectionModel().selectionChanged.connect(lambda *_a: window.update_actions())
        window.client_model.modelReset.connect(window.update_actions)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        table.addAction(self.act_assign)
        table.addAction(self.act_unassign)

    def session_changed(self, session: Session | None) -> None:
        self.office = session is not None and is_office(session.vault)
        self._show_actions()
        if session is None:
            return
        window = self.window
        window.client_model.set_laptops_loader(partial(self._cells, session.vault) if self.office else None)
        if self.office:  # narrower columns: the laptops' names show at the window's first size
            from ui.models.client_table import Column

            table = window.client_list.table
            for column, width in OFFICE_WIDTHS.items():
                table.setColumnWidth(Column[column], width)

    def _cells(self, vault: Any) -> dict[str, Any]:
        """The column's contents; a storage failure reading them leaves the column empty and says
        why in the status bar (the list itself still shows)."""
        from desktop.errors import DeclaraError

        try:
            return load_cells(vault)
        except Exception as exc:
            if not isinstance(exc, DeclaraError) and ops.as_error(exc) is exc:
                raise  # a bug: keep it visible
            self.status(lambda exc=exc: ops.describe(exc), 10000)
            return {}

    # -- assigning -------------------------------------------------------------------------------
    @needs_vault
    def assign(self) -> None:
        self._change(assigning=True)

    @needs_vault
    def unassign(self) -> None:
        self._change(assigning=False)

    def _change(self, *, assigning: bool) -> None:
        from desktop.sync import assignments as core
        from ui.assign_dialogs import LaptopChoiceDialog

        window, session = self.window, self.session
        assert session is not None
        ids = window.client_list.selected_ids() if self._can_assign(window) else []
        if not ids:
            return
        vault = session.vault
        laptops = laptop_names(vault)
        if not assigning:  # only the laptops one of the selected clients is assigned to
            now = core.assignments(vault)
            held = {device for client in ids for device in now.get(client, [])}
            laptops = {device: name for device, name in laptops.items() if device in held}
        if not laptops:
            dialogs.info(
                window,
                _("No laptop"),
                _("Trust a laptop's card first (File → Sync → Trust a card…).")
                if assigning
                else _("None of the selected clients is assigned to a laptop."),
            )
            return
        dialog = LaptopChoiceDialog(window, laptops, len(ids), assigning=assigning)
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        chosen = dialog.chosen()
        if not chosen:
            return
        names = ", ".join(laptops[device] for device in chosen)
        call = core.assign if assigning else core.unassign
        session.flush()

        def work() -> int:
            return sum(call(vault, device, ids) for device in chosen)

        background = len(ids) * len(chosen) > BACKGROUND_PAIRS
        if background:
            window.hold(True, _("Assigning…") if assigning else _("Unassigning…"))

        def done(_changed: Any) -> None:
            self._release(background)
            self._reload(ids)

            def text() -> str:  # said again in the other language after a switch
                words = (
                    ngettext(
                        "{count} client assigned to {laptops}.",
                        "{count} clients assigned to {laptops}.",
                        len(ids),
                    )
                    if assigning
                    else ngettext(
                        "{count} client unassigned from {laptops}: removed there at the next sync.",
                        "{count} clients unassigned from {laptops}: removed there at the next sync.",
                        len(ids),
                    )
                )
                return words.format(count=len(ids), laptops=names)

            self.status(text, 8000)

        def failed(error: Exception) -> None:
            self._release(background)
            ops.report(window, error, _("Not assigned") if assigning else _("Not unassigned"))

        ops.run_op(window, work, done, background=background, on_failure=failed)

    def _release(self, held: bool) -> None:
        if held:
            self.window.hold(False)

    def _reload(self, selected: list[str]) -> None:
        """The list again (with its laptops), the same clients selected."""
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        window = self.window
        model, table = window.client_model, window.client_list.table
        model.reload()
        rows = model.rows_of(set(selected))
        selection = QItemSelection()
        last = model.columnCount() - 1
        for row in rows:
            selection.select(model.index(row, 0), model.index(row, last))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        table.selectionModel().select(selection, flags)
        if rows:
            first = model.index(rows[0], 0)
            table.selectionModel().setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
            table.scrollTo(first)
        window.update_actions()

    # -- the trusted devices ---------------------------------------------------------------------
    @needs_vault
    def show_devices(self) -> None:
        from desktop.sync import devices
        from ui.assign_dialogs import DevicesDialog

        session = self.session
        assert session is not None
        vault = session.vault
        loaded = ops.run_op(
            self.window,
            lambda: (devices.peers(vault), counts(vault) if self.office else None),
            title=_("Trusted devices"),
        )
        if loaded is not None:
            dialogs.exec_dialog(DevicesDialog(self.window, *loaded))

    def retranslate(self) -> None:
        self.act_assign.setText(_("&Assign to laptops…"))
        self.act_unassign.setText(_("U&nassign from laptops…"))
        self.act_devices.setText(_("Trusted &devices…"))
