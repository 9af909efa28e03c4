"""A client's record: a header, and one tab per section (Ctrl+1 … Ctrl+9)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QTabWidget, QToolButton, QVBoxLayout, QWidget

from desktop.case.names import display_name

from desktop.case.anumber import format_a_number
from desktop.errors import DeclaraError
from desktop.i18n import N_, _
from desktop.case.model import VOCABULARIES, Record
from ui import specs
from ui.forms import FormWidget
from ui.longtext import elide
from ui.pages.chronology import ChronologyTab
from ui.pages.custody import CustodyTab
from ui.pages.declaration import DeclarationTab
from ui.pages.documents import DocumentsTab
from ui.pages.packet import PacketTab
from ui.pages.record_section import RecordSection
from ui.sections import SECTIONS


def _scrolled(widget: QWidget, parent: QWidget) -> QScrollArea:
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    holder = QWidget(area)
    widget.setMaximumWidth(860)
    layout = QVBoxLayout(holder)
    layout.addWidget(widget)
    layout.addStretch(1)
    area.setWidget(holder)
    return area


class ClientRecordPage(QWidget):
    back_requested = Signal()
    edited = Signal(str, str, object)  # record id, path, value
    add_requested = Signal(str, str, object)  # kind, client id, parent id
    delete_requested = Signal(str)
    rebuttal_needed = Signal(str)  # allegation id ('' when none is selected)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientRecordPage")
        self.client: Record | None = None
        self.next_deadline: Any = None
        self.back_button = QToolButton(self)
        self.back_button.setObjectName("backButton")
        self.back_button.clicked.connect(self.back_requested)
        self.name_label = QLabel(self)
        self.name_label.setObjectName("recordTitle")
        self.badge = QLabel(self)
        self.badge.setObjectName("recordBadge")
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("recordSubtitle")

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("recordTabs")
        self.tabs.setDocumentMode(True)
        self.identity = FormWidget(specs.IDENTITY, self)
        self.identity.setObjectName("form_identity")
        self.proceedings = FormWidget(specs.PROCEEDINGS, self)
        self.proceedings.setObjectName("form_proceedings")
        self.proceedings.note_providers["proceedings.last_arrival"] = self.one_year_text
        for form in (self.identity, self.proceedings):
            form.edited.connect(self._client_edited)
        self.family = RecordSection(
            "family_member",
            specs.FAMILY_COLUMNS,
            specs.FAMILY_FIELDS,
            add_label=N_("Add family member"),
            empty_text=N_("No family members recorded yet."),
            parent=self,
        )
        self.allegations = RecordSection(
            "allegation",
            specs.ALLEGATION_COLUMNS,
            specs.ALLEGATION_FIELDS,
            add_label=N_("Add allegation"),
            empty_text=N_("No gang or criminal allegation recorded."),
            parent=self,
        )
        self.rebuttal = RecordSection(
            "rebuttal",
            specs.REBUTTAL_COLUMNS,
            specs.REBUTTAL_FIELDS,
            add_label=N_("Add rebuttal evidence"),
            empty_text=N_("No rebuttal evidence planned yet."),
            parent=self,
        )
        self.rebuttal_title = QLabel(self)
        self.rebuttal_title.setObjectName("subsectionTitle")
        self.rebuttal_title.setWordWrap(True)
        rebuttal_panel = QWidget(self)
        panel_layout = QVBoxLayout(rebuttal_panel)
        panel_layout.setContentsMargins(8, 0, 0, 0)
        panel_layout.addWidget(self.rebuttal_title)
        panel_layout.addWidget(self.rebuttal, 1)
        self.allegations.add_side_panel(rebuttal_panel)
        self.rebuttal.splitter.setSizes([150, 380])
        self.allegations.selected.connect(self._allegation_selected)
        self.foia = RecordSection(
            "foia_request",
            specs.FOIA_COLUMNS,
            specs.FOIA_FIELDS,
            add_label=N_("Add request"),
            empty_text=N_("No requests yet: FOIA requests and clearance certificates are tracked here."),
            parent=self,
        )
        self.visits = RecordSection(
            "visit",
            specs.VISIT_COLUMNS,
            None,
            add_label=N_("Add"),
            empty_text=N_("No visits recorded yet. Visit mode records the intake interview."),
            parent=self,
        )
        self.chronology = ChronologyTab(self)
        self.timeline = self.chronology.section
        self.declaration = DeclarationTab(self)
        self.documents = DocumentsTab(self)
        self.packet = PacketTab(self)
        self.custody = CustodyTab(self)
        self.sections: dict[str, RecordSection] = {
            "family_member": self.family,
            "allegation": self.allegations,
            "rebuttal": self.rebuttal,
            "foia_request": self.foia,
            "visit": self.visits,
            "event": self.timeline,
            "custody_event": self.custody.section,
        }
        for section in self.sections.values():
            section.edited.connect(self.edited)
            section.delete_requested.connect(self.delete_requested)
            section.add_requested.connect(self._add)
        pages = [
            _scrolled(self.identity, self),
            _scrolled(self.proceedings, self),
            self.family,
            self.allegations,
            self.foia,
            self.visits,
            self.chronology,
            self.declaration,
            self.documents,
            self.packet,
            self.custody,
        ]
        for page in pages:
            self.tabs.addTab(page, "")

        header = QHBoxLayout()
        header.addWidget(self.back_button)
        header.addWidget(self.name_label)
        header.addWidget(self.badge)
        header.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.tabs, 1)
        self.retranslate_ui()

    # -- data ------------------------------------------------------------------------------------
    def show_client(self, client: Record, children: dict[str, list[Record]]) -> None:
        same = self.client is not None and self.client.id == client.id
        self.client = client
        self._show_one_year_deadline()
        self._read_seasons(client)
        self.identity.set_data(client.data)
        self.proceedings.set_data(client.data)
        for kind, section in self.sections.items():
            if kind != "rebuttal":
                section.set_records(children.get(kind, []), select=section.current_id() if same else None)
        self._update_header()

    def client_saved(self, record: Record, path: str) -> None:
        self.client = record
        form = self.proceedings if path.startswith("proceedings.") else self.identity
        form.field_saved(path, record.data)
        self._read_seasons(record)
        self._update_header()

    def _read_seasons(self, client: Record) -> None:
        """Spoken dates in this client's forms read season words as the client's country names them."""
        from ui import seasons_ui

        region = seasons_ui.resolve(seasons_ui.AUTO, seasons_ui.client_country(client.data))
        forms = [self.identity, self.proceedings, *(s.form for s in self.sections.values())]
        for form in forms:
            if form is not None:
                form.set_seasons(region)

    def set_rebuttal_records(self, records: list[Record]) -> None:
        self.rebuttal.set_records(records)

    def clear(self) -> None:
        self.client = None
        self.identity.clear()
        self.proceedings.clear()
        for section in self.sections.values():
            section.clear()
        self.chronology.clear()
        self.declaration.clear()
        self.documents.clear()
        self.packet.clear()
        self.name_label.clear()
        self.badge.clear()
        self.subtitle.clear()

    def form_for(self, path: str) -> FormWidget:
        return self.proceedings if path.startswith("proceedings.") else self.identity

    def focused_field(self) -> tuple[str, str] | None:
        """(form object name, field path) of the field that has the keyboard focus."""
        for form in (self.identity, self.proceedings):
            for path, editor in form.editors.items():
                if editor.widget.hasFocus():
                    return form.objectName(), path
        return None

    def focus_field(self, form_name: str, path: str) -> None:
        form = self.identity if form_name == self.identity.objectName() else self.proceedings
        editor = form.editors.get(path)
        if editor is not None:
            editor.widget.setFocus()

    # -- internals -------------------------------------------------------------------------------
    def _client_edited(self, path: str, value: object) -> None:
        if self.client is not None:
            self.edited.emit(self.client.id, path, value)

    def _add(self, kind: str, parent_id: object) -> None:
        if self.client is not None:
            self.add_requested.emit(kind, self.client.id, parent_id)

    def _allegation_selected(self, record: Record | None) -> None:
        self.rebuttal.parent_id = record.id if record else None
        self.rebuttal.setEnabled(record is not None)
        self.rebuttal_needed.emit(record.id if record else "")

    def _show_one_year_deadline(self) -> None:
        """The chronology's line on the one-year deadline (again after a language switch)."""
        if self.client is None:
            return
        arrival = (self.client.data.get("proceedings") or {}).get("last_arrival")
        self.chronology.set_deadline(
            self.one_year_text(arrival)
            if arrival
            else _("No last arrival recorded (Proceedings), so no one-year deadline.")
        )

    def one_year_text(self, value: Any) -> str:
        """The one-year filing deadline from a last-arrival date, in words."""
        from desktop.case.deadlines import one_year_deadline
        from ui.models.client_table import format_day

        if not value:
            return ""
        try:
            deadline = one_year_deadline(value)
        except (ValueError, DeclaraError):
            return ""
        if deadline is None:
            return ""
        text = _("One-year asylum filing deadline: {date}").format(date=format_day(deadline.due))
        if deadline.approximate:
            text += " " + _("(counted from the earliest possible arrival day)")
        filed = (self.client.data.get("proceedings") or {}).get("asylum_filed_on") if self.client else None
        if filed:
            text += " — " + _("application filed")
        elif deadline.due < date.today():
            text += " — " + _("passed")
        return text

    def _update_header(self) -> None:
        if self.client is None:
            return
        data = self.client.data
        name = display_name(data)
        self.name_label.setText(elide(name))  # a name of a megabyte is never laid out whole
        status = (data.get("custody") or {}).get("status")
        label = VOCABULARIES["custody_status"].get(status or "")
        self.badge.setText(_(label).upper() if label else "")
        self.badge.setProperty("status", status or "")
        self.badge.style().unpolish(self.badge)
        self.badge.style().polish(self.badge)
        self.badge.setVisible(bool(label))
        parts = [format_a_number(data.get("a_number"))] if data.get("a_number") else []
        facility = (data.get("custody") or {}).get("facility")
        if facility:
            parts.append(facility)
        if self.next_deadline is not None:
            from ui.models.client_table import deadline_text

            # Translators: the record's header, after the A-number and the facility.
            parts.append(_("Next: {deadline}").format(deadline=deadline_text(self.next_deadline)))
        self.subtitle.setText(elide("  ·  ".join(parts)))

    def set_next_deadline(self, deadline: Any) -> None:
        """The client's next deadline (desktop.case.deadlines.Deadline), as the client list says it."""
        self.next_deadline = deadline
        self._update_header()

    def retranslate_ui(self) -> None:
        self.back_button.setText(_("← Clients"))
        self.back_button.setToolTip(_("Back to the client list (Alt+Left)"))
        for i, (_key, title) in enumerate(SECTIONS):
            self.tabs.setTabText(i, _(title))
        self.rebuttal_title.setText(_("Rebuttal evidence for this allegation"))
        self._update_header()
        self._show_one_year_deadline()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
