"""The Custody tab of a client's record: the custody record at a glance (days held, the authority
DHS claims, where the client was held and when they were moved, the next custody deadline), the
custody events as a list with their form, and the custody documents to draft. The page shows; the
custody controller (:mod:`ui.controllers.custody`) reads the record and drafts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from desktop.i18n import N_, _, ngettext
from ui import specs
from ui.pages.record_section import RecordSection


class CustodyTab(QWidget):
    draft_requested = Signal(str)  # "parole", "habeas-facts" or "bond"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("custodyTab")
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("custodySummary")
        self.summary_label.setWordWrap(True)
        self.explain_label = QLabel(self)  # what the authority means, plainly (resources/custody/law.toml)
        self.explain_label.setObjectName("fieldNote")
        self.explain_label.setWordWrap(True)
        self.stays_label = QLabel(self)
        self.stays_label.setObjectName("custodyStays")
        self.stays_label.setWordWrap(True)
        self.section = RecordSection(
            "custody_event",
            specs.CUSTODY_COLUMNS,
            specs.CUSTODY_FIELDS,
            add_label=N_("Add to the custody record"),
            empty_text=N_(
                "Nothing in the custody record yet: add the apprehension, each detention and transfer, "
                "the authority DHS claims, parole requests, bond hearings and the release."
            ),
            parent=self,
        )
        self.section.splitter.setSizes([240, 460])  # six or seven events over the form on a laptop
        self.weighed_title = QLabel(self)
        self.weighed_title.setObjectName("subsectionTitle")
        self.weighed_label = QLabel(self)  # what parole and bond weigh, each with its source
        self.weighed_label.setObjectName("custodyWeighed")
        self.weighed_label.setWordWrap(True)
        self.weighed_label.setTextFormat(Qt.TextFormat.RichText)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.weighed_label)
        panel = QWidget(self)
        panel_layout = QVBoxLayout(panel)
        panel_layout.setContentsMargins(8, 0, 0, 0)
        panel_layout.addWidget(self.explain_label)  # what the authority means, beside the form
        panel_layout.addWidget(self.weighed_title)
        panel_layout.addWidget(scroll, 1)
        self.section.add_side_panel(panel)
        self.weighed: list[Any] = []
        self.buttons: dict[str, QPushButton] = {}
        for kind in ("parole", "habeas-facts", "bond"):
            button = QPushButton(self)
            button.setObjectName(f"draft_{kind.replace('-', '_')}")
            button.clicked.connect(lambda _c=False, kind=kind: self.draft_requested.emit(kind))
            self.buttons[kind] = button
        self.section.insert_buttons(list(self.buttons.values()))  # after Add and Delete: one row
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.stays_label)
        layout.addWidget(self.section, 1)
        self.summary: Any = None
        self.retranslate_ui()

    def show_summary(self, summary: Any) -> None:
        """The record at a glance (desktop.custody.record.CustodySummary), or nothing (None)."""
        self.summary = summary
        self._say()

    def show_weighed(self, items: list[Any]) -> None:
        """The facts parole and bond weigh (desktop.custody.facts.Weighed), each with its source."""
        self.weighed = list(items)
        self._say_weighed()

    def _say_weighed(self) -> None:
        from html import escape

        from desktop.case.dates import format_edtf
        from desktop.i18n import current_language

        lang = "es" if current_language() == "es" else "en"
        lines = []
        for item in self.weighed:
            if item.missing:
                gap = f"<b>{escape(_(item.kind))}</b>: {escape(_(item.detail))}"
                lines.append(f"<span style='color:#b3261e'>{gap}</span>")
                continue
            when = format_edtf(item.date, lang) + " · " if item.date else ""
            sources = ", ".join(specs.source_words(s) for s in item.sources) or _("no source named")
            lines.append(
                f"<b>{escape(_(item.kind))}</b>: {escape(when + item.detail)} <i>({escape(sources)})</i>"
            )
        self.weighed_label.setText("<br>".join(lines))

    def _say(self) -> None:
        from desktop.case.dates import format_edtf
        from desktop.case.model import VOCABULARIES
        from desktop.i18n import current_language

        summary = self.summary
        lang = "es" if current_language() == "es" else "en"
        self.explain_label.setText(_plain(summary.authority if summary else None, lang))
        if summary is None or not summary.entries:
            self.summary_label.setText(_("No custody record yet."))
            self.stays_label.clear()
            return
        parts = []
        if summary.detained and summary.days is not None:
            days = ngettext("{count} day", "{count} days", summary.days).format(count=summary.days)
            if summary.approximate:
                days = _("about {days}").format(days=days)
            parts.append(
                _("Detained {days}, since {date}").format(
                    days=days, date=format_edtf(summary.since.date, lang)
                )
            )
        else:
            parts.append(_("Not detained, by the custody record"))
        label = VOCABULARIES["detention_authority"].get(summary.authority or "")
        parts.append(
            _("Authority DHS claims: {authority}").format(authority=_(label) if label else _("not recorded"))
        )
        deadline = summary.next_deadline
        if deadline:
            parts.append(
                _("Next custody deadline: {date} ({what})").format(
                    date=format_edtf(deadline["date"], lang), what=deadline.get("what") or "—"
                )
            )
        self.summary_label.setText(" · ".join(parts))
        from desktop.custody.law import facility_with_office

        stays = [
            f"{format_edtf(stay.start.date, lang)}: {facility_with_office(stay.facility) or '—'}"
            for stay in summary.stays
        ]
        self.stays_label.setText(_("Where: {stays}").format(stays=" → ".join(stays)) if stays else "")

    def retranslate_ui(self) -> None:
        self.buttons["parole"].setText(_("Draft &parole request…"))
        self.buttons["habeas-facts"].setText(_("Statement of &facts (habeas)…"))
        self.buttons["bond"].setText(_("&Bond packet…"))
        self.weighed_title.setText(_("What parole and bond weigh"))
        self._say()
        self._say_weighed()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


def _plain(code: str | None, lang: str) -> str:
    """What an authority means, in plain words and the interface language ("" when none or unknown)."""
    if not code:
        return ""
    from desktop.custody import law
    from desktop.errors import DeclaraError

    try:
        authority = law.authorities().get(code)
    except DeclaraError as exc:
        return exc.message()  # a damaged table is said, never hidden
    return authority.plain(lang) if authority is not None else ""
