"""File ▸ “Apply saved changes from a file…”: bring a file of unsaved changes (written by
“Save my unsaved changes to a file…”, :mod:`ui.save_failures`) back into the open vault — the same
vault once it can be written again, a restored backup or a salvaged vault.

The file is chosen, its passphrase asked, then read and planned in a worker thread (the age file's
key derivation takes seconds; the window is held meanwhile, as for a sync file); the plan is shown
(client, field, what will happen) and “Apply” stores every change that applies, all or nothing, in
a worker too. The work is :mod:`desktop.case.unsaved_edits`; every failure goes through
:func:`ui.ops.report`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.case import unsaved_edits as ue
from desktop.i18n import N_, _, ngettext
from ui import dialogs, ops, save_failures
from ui.checked_dialog import OnePassphraseDialog
from ui.models.base import Index, TranslatedTableModel

if TYPE_CHECKING:
    from ui.main_window import MainWindow

#: What each status reads in the plan.
STATUS = {
    ue.APPLIES: N_("Will be applied"),
    ue.ALREADY: N_("Already there"),
    ue.CANNOT: N_("Cannot apply: {reason}"),
    ue.REFUSED: N_("Not accepted: {reason}"),
}
#: The kinds of record other than the client's own, as a field's owner is named.
KIND_NAMES = {
    "family_member": N_("Family member"),
    "allegation": N_("Allegation"),
    "rebuttal": N_("Rebuttal evidence"),
    "foia_request": N_("FOIA request"),
    "event": N_("Event"),
}


def _field_labels() -> dict[tuple[str, str], str]:
    from ui import specs

    labels: dict[tuple[str, str], str] = {}
    for kind, fields in (
        ("client", specs.IDENTITY + specs.PROCEEDINGS),
        ("family_member", specs.FAMILY_FIELDS),
        ("allegation", specs.ALLEGATION_FIELDS),
        ("rebuttal", specs.REBUTTAL_FIELDS),
        ("foia_request", specs.FOIA_FIELDS),
        ("event", specs.EVENT_FIELDS),
    ):
        for spec in fields:
            labels[(kind, spec.path)] = spec.label
    return labels


def field_text(item: ue.Planned, labels: dict[tuple[str, str], str]) -> str:
    """The field as the record's form names it (“Family member: Whereabouts now”), else its path."""
    label = labels.get((item.kind or "", item.edit.path))
    text = _(label) if label else item.edit.path
    owner = KIND_NAMES.get(item.kind or "")
    return _("{kind}: {field}").format(kind=_(owner), field=text) if owner else text


#: A change that would apply, in a file refused as a whole.
HELD_BACK = N_("Valid, but not applied (see below)")


def status_text(item: ue.Planned, refused: bool = False) -> str:
    if refused and item.status == ue.APPLIES:
        return _(HELD_BACK)
    reason = item.reason.message() if item.reason is not None else ""
    return _(STATUS[item.status]).format(reason=reason)


class PlanTableModel(TranslatedTableModel):
    """One row per change of the file: client, field, what applying does."""

    HEADERS = (N_("Client"), N_("Field"), N_("What happens"))

    def __init__(self, plan: ue.Plan, parent: Any = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.labels = _field_labels()

    def header_msgids(self) -> tuple[str, ...]:
        return self.HEADERS

    def row_total(self) -> int:
        return len(self.plan.items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.plan.items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            if column == 0:
                return item.client or _("(client unknown)")
            if column == 1:
                return (
                    field_text(item, self.labels) if role == Qt.ItemDataRole.DisplayRole else item.edit.path
                )
            return status_text(item, self.plan.refused is not None)
        return None


class FilePassphraseDialog(OnePassphraseDialog):
    """Asks the passphrase chosen when the changes were saved to the file."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(
            parent,
            _("Apply saved changes from a file"),
            _("The passphrase chosen when the changes were saved to this file:"),
            "unsavedFilePassphrase",
        )
        self.setObjectName("unsavedFilePassphraseDialog")


class PlanDialog(QDialog):
    """The plan for a file: what applying it does to each change; Apply / Cancel."""

    def __init__(self, parent: QWidget | None, plan: ue.Plan) -> None:
        super().__init__(parent)
        self.setObjectName("unsavedPlanDialog")
        self.setWindowTitle(_("Apply saved changes from a file"))
        self.plan = plan
        self.summary = QLabel(self._summary(), self)
        self.summary.setObjectName("unsavedPlanSummary")
        self.summary.setWordWrap(True)
        self.model = PlanTableModel(plan, self)
        self.view = QTableView(self)
        self.view.setObjectName("unsavedPlanTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(True)  # a reason is read whole, on two lines if need be
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.warning = QLabel(self)
        self.warning.setObjectName("fieldError")
        self.warning.setWordWrap(True)
        refused = ue.refusal(plan)
        self.warning.setText(refused.message() if refused is not None else "")
        self.warning.setVisible(refused is not None)
        self.buttons = QDialogButtonBox(self)
        self.apply_button = self.buttons.addButton(_("Apply"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setObjectName("applyUnsaved")
        self.apply_button.setEnabled(refused is None and plan.count(ue.APPLIES) > 0)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)
        self.resize(760, 380)

    def _summary(self) -> str:
        plan = self.plan
        applies = plan.count(ue.APPLIES)
        if plan.refused is not None:
            return _(
                "This file cannot be applied: one of its values is not accepted by this vault (below). "
                "Nothing was changed."
            )
        lines = [
            ngettext(
                "{count} change in the file can be applied to this vault.",
                "{count} changes in the file can be applied to this vault.",
                applies,
            ).format(count=applies)
        ]
        rest = len(plan) - applies
        if rest:
            lines.append(
                ngettext(
                    "{count} other change is already in the vault or cannot be applied (see below).",
                    "{count} other changes are already in the vault or cannot be applied (see below).",
                    rest,
                ).format(count=rest)
            )
        if plan.other_vault:
            lines.append(
                _(
                    "The file was saved from another vault (a restored backup or a salvaged vault, "
                    "perhaps): each change goes to the record it names, if this vault has it."
                )
            )
        return " ".join(lines)


def ask_passphrase(parent: QWidget) -> str | None:
    dialog = FilePassphraseDialog(parent)
    accepted = dialogs.exec_dialog(dialog) == QDialog.DialogCode.Accepted
    passphrase = dialog.passphrase.text()
    dialog.passphrase.clear()
    dialog.deleteLater()
    return passphrase if accepted and passphrase else None


def apply_saved_changes(window: MainWindow) -> None:
    """Choose the file, ask its passphrase, read and plan it off the GUI thread, show the plan,
    apply it on “Apply”, then refresh the views and say what was done."""
    session = window.session
    if session is None:
        return
    path = dialogs.open_file(
        window, _("Apply saved changes from a file"), Path.home(), _("Encrypted files (*.age)")
    )
    if path is None:
        return
    passphrase = ask_passphrase(window)
    if passphrase is None:
        return
    session.flush()
    store = session.store
    title = _("Nothing was applied")

    def failed(error: Exception) -> None:
        window.hold(False)
        ops.report(window, error, title)

    def read_and_plan() -> tuple[ue.UnsavedEdits, ue.Plan]:
        edits = ue.read(path, passphrase)
        return edits, ue.plan(store, edits)

    def planned(result: tuple[ue.UnsavedEdits, ue.Plan]) -> None:
        window.hold(False)
        edits, plan = result
        dialog = PlanDialog(window, plan)
        accepted = dialogs.exec_dialog(dialog) == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if not accepted or window.session is not session or ue.refusal(plan) is not None:
            return
        if not plan.count(ue.APPLIES):
            return
        if session.damaged:
            ops.report(window, save_failures.damage_error(), title)
            return
        window.hold(True, _("Applying the saved changes…"))

        def apply() -> ue.ApplyReport:
            with save_failures.storing(session.vault):
                return ue.apply(store, edits)

        ops.run_op(window, apply, applied, background=True, on_failure=failed)

    def applied(report: ue.ApplyReport) -> None:
        window.hold(False)
        if window.session is session:
            session.reloaded()
            session.saved.emit()
        text = _("Applied {applied}, already there {already}, cannot apply {cannot}.").format(
            applied=report.applied, already=report.already, cannot=report.cannot
        )
        dialogs.info(window, _("Saved changes applied"), text)

    window.hold(True, _("Reading the file of unsaved changes…"))
    ops.run_op(window, read_and_plan, planned, background=True, on_failure=failed)
