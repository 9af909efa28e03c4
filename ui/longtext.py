"""Long text stays responsive (issue 18, finding 7): what the views lay out is capped, the stored
value never is.

Qt lays out a paragraph at once, and breaking one long run of characters without a space at word
boundaries costs time that grows faster than its length (200 KB of one “word” took 4 s in a text
field, 1 MiB about 100 s). So:

- a text field wraps anywhere (``QTextOption.WrapAnywhere``) as soon as its text holds a run of
  :data:`LONG_TOKEN` characters without a space (ordinary prose keeps word wrapping);
- a field whose value is longer than :data:`EDIT_CHARS` (or :data:`LINE_CHARS` for a one-line
  field) shows a read-only preview of its first :data:`PREVIEW_CHARS` characters and “Show all…”,
  which opens the whole text for reading and editing; the stored value is kept whole;
- titles, labels and list cells show at most :data:`LABEL_CHARS` characters (:func:`elide`)."""

from __future__ import annotations

import re

from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import (
    QLineEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _

LABEL_CHARS = 200  # a name in a title or a list cell
LONG_TOKEN = 2_000  # a run without a space this long is wrapped anywhere
EDIT_CHARS = 200_000  # a text field holding more shows a preview
LINE_CHARS = 5_000  # a one-line field holding more shows a preview
PREVIEW_CHARS = 20_000  # what a preview shows of a text field
LINE_PREVIEW_CHARS = 500  # what a preview shows of a one-line field

_TOKEN = re.compile(r"\S{" + str(LONG_TOKEN) + "}")


def elide(text: str, limit: int = LABEL_CHARS) -> str:
    """At most ``limit`` characters of ``text`` for a label or a cell (“…” when cut)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def has_long_token(text: str) -> bool:
    return len(text) >= LONG_TOKEN and _TOKEN.search(text) is not None


def fit_wrap(edit: QPlainTextEdit, text: str) -> None:
    """Wrap anywhere when ``text`` holds a long run without a space, else at word boundaries."""
    mode = (
        QTextOption.WrapMode.WrapAnywhere
        if has_long_token(text)
        else QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
    )
    if edit.wordWrapMode() != mode:
        edit.setWordWrapMode(mode)


def preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    return text[:limit] + "…"


class FullTextDialog(QDialog):
    """“Show all…”: the whole of one or more long texts, wrapped anywhere, editable. ``texts``:
    label → text (a label may be empty)."""

    def __init__(self, texts: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fullTextDialog")
        self.setWindowTitle(_("The whole text"))
        layout = QVBoxLayout(self)
        self.edits: dict[str, QPlainTextEdit] = {}
        for label, text in texts.items():
            if label:
                layout.addWidget(QLabel(label, self))
            edit = QPlainTextEdit(self)
            edit.setObjectName("fullText")
            edit.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
            edit.setPlainText(text)
            layout.addWidget(edit, 1)
            self.edits[label] = edit
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 560)

    def texts(self) -> dict[str, str]:
        return {label: edit.toPlainText() for label, edit in self.edits.items()}


class StartShownLineEdit(QLineEdit):
    """A one-line field that shows the start of a value put in while it has no focus (a narrow
    field then reads "Policía Nacional Civil — …", not "…Antecedentes Policiales"); focused by the
    program (a place restored after unlocking), the cursor goes back to the end, where typing
    continues. A click or Tab places it as Qt always does."""

    def show_start(self) -> None:
        if not self.hasFocus():
            self.setCursorPosition(0)
            self._start_shown = True

    def focusInEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        from PySide6.QtCore import Qt

        if getattr(self, "_start_shown", False):
            self._start_shown = False
            if event.reason() not in (  # type: ignore[attr-defined]
                Qt.FocusReason.MouseFocusReason,
                Qt.FocusReason.TabFocusReason,
                Qt.FocusReason.BacktabFocusReason,
            ):
                self.end(False)
        super().focusInEvent(event)  # type: ignore[arg-type]
