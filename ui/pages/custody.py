"""The Custody tab of a client's record: the custody record at a glance (days held, the authority
DHS claims, where the client was held and when they were moved, the next custody deadline), the
custody events as a list with their form, and the custody documents to draft. The page shows; the
custody controller (:mod:`ui.controllers.custody`) reads the record and drafts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

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
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for kind in ("parole", "habeas-facts", "bond"):
            button = QPushButton(self)
            button.setObjectName(f"draft_{kind.replace('-', '_')}")
            button.clicked.connect(lambda _c=False, kind=kind: self.draft_requested.emit(kind))
            row.addWidget(button)
            self.buttons[kind] = button
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.explain_label)
        layout.addWidget(self.stays_label)
        layout.addLayout(row)
        layout.addWidget(self.section, 1)
        self.summary: Any = None
        self.retranslate_ui()

    def show_summary(self, summary: Any) -> None:
        """The record at a glance (desktop.custody.record.CustodySummary), or nothing (None)."""
        self.summary = summary
        self._say()

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
        stays = [f"{format_edtf(stay.start.date, lang)}: {stay.facility or '—'}" for stay in summary.stays]
        self.stays_label.setText(_("Where: {stays}").format(stays=" → ".join(stays)) if stays else "")

    def retranslate_ui(self) -> None:
        self.buttons["parole"].setText(_("Draft &parole request…"))
        self.buttons["habeas-facts"].setText(_("Statement of &facts (habeas)…"))
        self.buttons["bond"].setText(_("&Bond packet…"))
        self._say()

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
