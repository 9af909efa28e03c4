"""The chronology tab: events in date order, an editor, the checks, the one-year deadline, and
the way to the timeline exhibit PDF."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.case.chronology import Issue
from desktop.i18n import N_, _
from ui import specs
from ui.models.base import Index, TranslatedTableModel
from ui.pages.record_section import RecordSection


class IssueModel(TranslatedTableModel):
    HEADERS = (N_("Check"),)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.issues: list[Issue] = []

    def header_msgids(self) -> tuple[str, ...]:
        return self.HEADERS

    def row_total(self) -> int:
        return len(self.issues)

    def set_issues(self, issues: list[Issue]) -> None:
        self.beginResetModel()
        self.issues = list(issues)
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.issues):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return "⚠ " + self.issues[index.row()].message()
        return None


class ChronologyTab(QWidget):
    duplicate_requested = Signal(str)
    move_requested = Signal(str, int)  # event id, -1 earlier / +1 later (same date only)
    export_requested = Signal()
    issue_activated = Signal(str)  # event id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chronologyTab")
        self.section = RecordSection(
            "event",
            specs.EVENT_COLUMNS,
            specs.EVENT_FIELDS,
            add_label=N_("Add event…"),
            empty_text=N_("No events in the chronology yet."),
            parent=self,
        )
        self.deadline = QLabel(self)
        self.deadline.setObjectName("deadlineNote")
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("exportTimeline")
        self.export_button.clicked.connect(self.export_requested)
        self.duplicate_button = QPushButton(self)
        self.duplicate_button.setObjectName("duplicateEvent")
        self.earlier_button = QPushButton(self)
        self.later_button = QPushButton(self)
        self.duplicate_button.clicked.connect(lambda: self._with_current(self.duplicate_requested.emit))
        self.earlier_button.clicked.connect(
            lambda: self._with_current(lambda i: self.move_requested.emit(i, -1))
        )
        self.later_button.clicked.connect(
            lambda: self._with_current(lambda i: self.move_requested.emit(i, 1))
        )
        self.section.insert_buttons([self.duplicate_button, self.earlier_button, self.later_button])
        self.section.splitter.setSizes([300, 360])  # the list matters most here
        self.issues = IssueModel(self)
        self.issue_view = QTableView(self)
        self.issue_view.setObjectName("issueList")
        self.issue_view.setModel(self.issues)
        self.issue_view.verticalHeader().setVisible(False)
        self.issue_view.horizontalHeader().setStretchLastSection(True)
        self.issue_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.issue_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.issue_view.setWordWrap(True)
        self.issue_view.activated.connect(self._issue_activated)
        self.issue_view.doubleClicked.connect(self._issue_activated)
        self.issue_title = QLabel(self)
        self.issue_title.setObjectName("subsectionTitle")
        checks = QWidget(self)
        checks_layout = QVBoxLayout(checks)
        checks_layout.setContentsMargins(0, 0, 0, 0)
        checks_layout.addWidget(self.issue_title)
        checks_layout.addWidget(self.issue_view)
        top = QHBoxLayout()
        top.addWidget(self.deadline, 1)
        top.addWidget(self.export_button)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.section)
        splitter.addWidget(checks)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([600, 90])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.retranslate_ui()

    def _with_current(self, action: Any) -> None:
        current = self.section.current_id()
        if current:
            action(current)

    def _issue_activated(self, index: Any) -> None:
        if index.isValid():
            issue = self.issues.issues[index.row()]
            if issue.event_id:
                self.issue_activated.emit(issue.event_id)

    def set_issues(self, issues: list[Issue]) -> None:
        self.issues.set_issues(issues)
        self._title()

    def set_deadline(self, text: str) -> None:
        self.deadline.setText(text)

    def clear(self) -> None:
        self.section.clear()
        self.issues.set_issues([])
        self.deadline.clear()

    def _title(self) -> None:
        count = len(self.issues.issues)
        self.issue_title.setText(
            _("Checks: nothing to look at")
            if not count
            else _("Checks: {count} to look at").format(count=count)
        )

    def retranslate_ui(self) -> None:
        self.export_button.setText(_("Export timeline exhibit…"))
        self.duplicate_button.setText(_("Duplicate"))
        self.earlier_button.setText(_("Move earlier"))
        self.later_button.setText(_("Move later"))
        self.earlier_button.setToolTip(_("Among events on the same date"))
        self.later_button.setToolTip(_("Among events on the same date"))
        self.issues.retranslate()
        self._title()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
