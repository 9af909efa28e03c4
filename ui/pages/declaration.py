"""The declaration tab: versions, the paragraphs side by side, signing, checks, the PDF."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QModelIndex, QObject, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.drafting.declarations import Version
from desktop.i18n import N_, _
from desktop.case.model import Record
from ui.forms import CHOICES, COUNTRY, LANGUAGE, FieldSpec, FormWidget
from ui.models.base import Index, TranslatedTableModel
from ui.pages.chronology import IssueModel
from ui.pages.declaration_sources import ProvenanceHighlighter, SourcesView
from ui.longtext import fit_wrap

MIME = "application/x-declara-paragraph-row"

DECLARATION_FIELDS = [
    FieldSpec("drafted_in", N_("Drafted in"), LANGUAGE),
    FieldSpec("declarant_language", N_("Declarant's language"), LANGUAGE),
    FieldSpec("relief", N_("In support of"), CHOICES, vocab="declaration_relief"),
    FieldSpec("in_support_of", N_("Other purpose"), hint=N_("Printed as typed")),
    FieldSpec("place_of_signing.city", N_("Signed in (city)")),
    FieldSpec("place_of_signing.region", N_("State or region")),
    FieldSpec(
        "place_of_signing.country",
        N_("Country"),
        COUNTRY,
        hint=N_("US chooses the § 1746 wording for declarations signed in the United States"),
    ),
    FieldSpec("interpreter.name", N_("Interpreter")),
    FieldSpec("interpreter.address", N_("Interpreter's address")),
    FieldSpec("interpreter.phone", N_("Interpreter's phone")),
    FieldSpec("translator.name", N_("Translator")),
    FieldSpec("translator.address", N_("Translator's address")),
    FieldSpec("translator.phone", N_("Translator's phone")),
]


class ParagraphModel(TranslatedTableModel):
    HEADERS = (N_("No."), N_("English"), N_("Spanish"), N_("Events"))

    move_requested = Signal(int, int)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.paragraphs: list[Record] = []
        self.event_numbers: dict[str, int] = {}
        self.editable = True

    def header_msgids(self) -> tuple[str, ...]:
        return self.HEADERS

    def row_total(self) -> int:
        return len(self.paragraphs)

    def set_paragraphs(self, paragraphs: list[Record], event_numbers: dict[str, int], editable: bool) -> None:
        self.beginResetModel()
        self.paragraphs, self.event_numbers, self.editable = list(paragraphs), event_numbers, editable
        self.endResetModel()

    def update_paragraph(self, paragraph: Record) -> None:
        """A paragraph was stored: show its text in its row."""
        for row, shown in enumerate(self.paragraphs):
            if shown.id == paragraph.id:
                self.paragraphs[row] = paragraph
                self.dataChanged.emit(self.index(row, 0), self.index(row, 3))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.paragraphs):
            return None
        paragraph = self.paragraphs[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return str(index.row() + 1)
            if column in (1, 2):
                text = paragraph.data.get("en" if column == 1 else "es") or ""
                return " ".join(text.split()) or "—"
            numbers = sorted(
                self.event_numbers[e] for e in paragraph.data.get("events") or [] if e in self.event_numbers
            )
            return ", ".join(map(str, numbers))
        return None

    # -- drag and drop to reorder ----------------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self.editable:
            flags |= Qt.ItemFlag.ItemIsDropEnabled
            if index.isValid():
                flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # noqa: N802
        mime = QMimeData()
        if indexes:
            mime.setData(MIME, QByteArray(str(indexes[0].row()).encode()))
        return mime

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,  # noqa: N802
        parent: Index,
    ) -> bool:
        if not data.hasFormat(MIME) or action != Qt.DropAction.MoveAction:
            return False
        source = int(bytes(data.data(MIME)).decode())
        target = parent.row() if row < 0 and parent.isValid() else row
        if target < 0:
            target = len(self.paragraphs) - 1
        if target > source:
            target -= 1
        if target != source:
            self.move_requested.emit(source, target)
        return False  # the presenter moves the records and reloads


class FormArea(QScrollArea):
    """The scrolled form beside the paragraphs: as wide as the form needs (its relief choices
    and its Spanish labels), so it scrolls down, never sideways with fields cut at the edge."""

    MIN_WIDTH = 360

    def __init__(self, form: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(form)
        form.installEventFilter(self)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        form = self.widget()
        needed = form.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
        hint.setWidth(max(hint.width(), self.MIN_WIDTH, needed + 2 * self.frameWidth()))
        return hint

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the labels changed (a language switch): take the new width
        return super().eventFilter(watched, event)


class DeclarationTab(QWidget):
    version_selected = Signal(int)
    draft_requested = Signal()
    sign_requested = Signal()
    export_requested = Signal(bool)  # reading copy?
    field_edited = Signal(str, object)
    paragraph_edited = Signal(int, str, str)  # index, language, text
    add_requested = Signal(int)
    split_requested = Signal(int, str, int)
    merge_requested = Signal(int)
    move_requested = Signal(int, int)
    delete_requested = Signal(int)
    link_requested = Signal(int)
    issue_activated = Signal(object)  # Issue

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("declarationTab")
        self.versions: list[Version] = []
        self.shown: Version | None = None
        self._loading = False
        self.version = QComboBox(self)
        self.version.setObjectName("declarationVersion")
        # As wide as its longest entry ("Versión 2 — firmada el …"): the status line beside it wraps instead.
        self.version.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.version.currentIndexChanged.connect(self._version_changed)
        self.state = QLabel(self)
        self.state.setObjectName("declarationState")
        self.state.setWordWrap(True)  # its Spanish sentences made the window wider than a laptop screen
        self.draft_button = QPushButton(self)
        self.draft_button.setObjectName("draftDeclaration")
        self.draft_button.clicked.connect(self.draft_requested)
        self.sign_button = QPushButton(self)
        self.sign_button.setObjectName("signDeclaration")
        self.sign_button.clicked.connect(self.sign_requested)
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("exportDeclaration")
        self.export_button.clicked.connect(lambda: self.export_requested.emit(False))
        self.reading_button = QPushButton(self)
        self.reading_button.setObjectName("readingCopy")
        self.reading_button.clicked.connect(lambda: self.export_requested.emit(True))
        top = QHBoxLayout()
        top.addWidget(self.version)
        top.addWidget(self.state, 1)
        for button in (self.draft_button, self.sign_button, self.export_button, self.reading_button):
            top.addWidget(button)

        self.form = FormWidget(DECLARATION_FIELDS, self)
        self.form.setObjectName("form_declaration")
        self.form.edited.connect(self.field_edited)
        form_area = FormArea(self.form, self)

        self.model = ParagraphModel(self)
        self.model.move_requested.connect(self.move_requested)
        self.table = QTableView(self)
        self.table.setObjectName("paragraphTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.table.setDragEnabled(True)
        self.table.setAcceptDrops(True)
        self.table.setDropIndicatorShown(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column, mode in (
            (0, QHeaderView.ResizeMode.ResizeToContents),
            (1, QHeaderView.ResizeMode.Stretch),
            (2, QHeaderView.ResizeMode.Stretch),
            (3, QHeaderView.ResizeMode.ResizeToContents),
        ):
            header.setSectionResizeMode(column, mode)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

        self.english = QPlainTextEdit(self)
        self.english.setObjectName("paragraphEnglish")
        self.spanish = QPlainTextEdit(self)
        self.spanish.setObjectName("paragraphSpanish")
        self.english_label, self.spanish_label = QLabel(self), QLabel(self)
        for label in (self.english_label, self.spanish_label):
            label.setObjectName("langTag")
        for lang, edit in (("en", self.english), ("es", self.spanish)):
            edit.setTabChangesFocus(True)
            edit.textChanged.connect(lambda lang=lang: self._text_changed(lang))
        self.highlighters = [ProvenanceHighlighter(self.english.document(), "en"),
                             ProvenanceHighlighter(self.spanish.document(), "es")]  # fmt: skip
        self.sources = SourcesView(self)
        self.sources.watch(self.highlighters)
        editors = QHBoxLayout()
        for label, edit in ((self.english_label, self.english), (self.spanish_label, self.spanish)):
            column = QVBoxLayout()
            column.addWidget(label)
            column.addWidget(edit)
            editors.addLayout(column)
        self.add_button, self.split_button, self.merge_button = (
            QPushButton(self),
            QPushButton(self),
            QPushButton(self),
        )
        self.delete_button, self.up_button, self.down_button = (
            QPushButton(self),
            QPushButton(self),
            QPushButton(self),
        )
        self.link_button = QPushButton(self)
        self.add_button.clicked.connect(lambda: self.add_requested.emit(self.current_row() + 1))
        self.split_button.clicked.connect(self._split)
        self.merge_button.clicked.connect(lambda: self._if_row(self.merge_requested.emit))
        self.delete_button.clicked.connect(lambda: self._if_row(self.delete_requested.emit))
        self.up_button.clicked.connect(lambda: self._if_row(lambda r: self.move_requested.emit(r, r - 1)))
        self.down_button.clicked.connect(lambda: self._if_row(lambda r: self.move_requested.emit(r, r + 1)))
        self.link_button.clicked.connect(lambda: self._if_row(self.link_requested.emit))
        # Two rows of buttons: in one row their Spanish labels made the tab (and so the window)
        # wider than a 1366-pixel laptop screen.
        buttons = QGridLayout()
        for i, button in enumerate(
            (
                self.add_button,
                self.split_button,
                self.merge_button,
                self.link_button,
                self.delete_button,
                self.up_button,
                self.down_button,
            )
        ):
            buttons.addWidget(button, i // 4, i % 4)
        buttons.setColumnStretch(4, 1)

        self.issues = IssueModel(self)
        self.issue_view = QTableView(self)
        self.issue_view.setObjectName("declarationIssues")
        self.issue_view.setModel(self.issues)
        self.issue_view.verticalHeader().setVisible(False)
        self.issue_view.horizontalHeader().setStretchLastSection(True)
        self.issue_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.issue_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.issue_view.activated.connect(self._issue)
        self.issue_view.doubleClicked.connect(self._issue)
        self.issue_title = QLabel(self)
        self.issue_title.setObjectName("subsectionTitle")

        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.table, 3)
        middle_layout.addLayout(buttons)
        middle_layout.addLayout(editors, 2)
        middle_layout.addWidget(self.sources)
        middle_layout.addWidget(self.issue_title)
        middle_layout.addWidget(self.issue_view, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(middle)
        splitter.addWidget(form_area)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([880, 380])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        for keys, slot in (
            ("Alt+Up", self.up_button.click),
            ("Alt+Down", self.down_button.click),
            ("Ctrl+Shift+Return", self._split),
            ("Ctrl+Shift+M", self.merge_button.click),
            ("Ctrl+Shift+Insert", self.add_button.click),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.retranslate_ui()

    # -- data ------------------------------------------------------------------------------------
    def set_versions(
        self,
        versions: list[Version],
        events: list[Record],
        *,
        show: int | None = None,
        select_row: int | None = None,
    ) -> None:
        self.versions = versions
        self._event_numbers = {e.id: i + 1 for i, e in enumerate(events)}
        self._loading = True
        try:
            self.version.clear()
            for v in versions:
                self.version.addItem(self._version_label(v))
            index = len(versions) - 1 if show is None else show
            self.version.setCurrentIndex(index)
        finally:
            self._loading = False
        self._show(index if versions else None, select_row)

    def _version_label(self, v: Version) -> str:
        if v.signed:
            return _("Version {number} — signed {date}").format(
                number=v.number, date=v.record.data.get("signed_on") or ""
            )
        return _("Version {number} — draft").format(number=v.number)

    def _version_changed(self, index: int) -> None:
        if not self._loading and index >= 0:
            self._show(index, None)

    def _show(self, index: int | None, select_row: int | None) -> None:
        self.shown = self.versions[index] if index is not None and 0 <= index < len(self.versions) else None
        latest = self.shown is not None and self.shown is self.versions[-1]
        editable = latest
        self.model.set_paragraphs(self.shown.paragraphs if self.shown else [], self._event_numbers, editable)
        self.form.set_data(self.shown.record.data if self.shown else None)
        self.form.setEnabled(editable)
        for button in (
            self.add_button,
            self.split_button,
            self.merge_button,
            self.delete_button,
            self.up_button,
            self.down_button,
            self.link_button,
        ):
            button.setEnabled(editable)
        self.sign_button.setEnabled(bool(self.shown) and latest and not self.shown.signed)
        self.export_button.setEnabled(bool(self.shown))
        self.reading_button.setEnabled(bool(self.shown))
        self._state()
        self.select_row(select_row)

    def select_row(self, row: int | None) -> None:
        """Select this paragraph (None: the first one) and show its texts in the editors."""
        if row is None:
            row = 0 if self.model.paragraphs else -1
        if 0 <= row < len(self.model.paragraphs):
            self.table.selectRow(row)
        else:
            self._row_changed()

    def _state(self) -> None:
        v = self.shown
        if v is None:
            self.state.setText(_("No declaration yet. Draft one from the interview and the chronology."))
        elif v.signed:
            self.state.setText(_("Signed: this text cannot change. Typing starts a new draft version."))
        else:
            self.state.setText(_("Draft: changes are saved as you type."))

    def paragraph(self, row: int) -> Record:
        """The paragraph shown in this row."""
        return self.model.paragraphs[row]

    def paragraph_saved(self, paragraph: Record) -> None:
        """The presenter stored a paragraph's text."""
        self.model.update_paragraph(paragraph)

    def editor_state(self) -> dict[str, tuple[str, int, bool]]:
        """What is typed in the two paragraph editors, where each cursor is, which has the focus."""
        return {
            lang: (edit.toPlainText(), edit.textCursor().position(), edit.hasFocus())
            for lang, edit in (("en", self.english), ("es", self.spanish))
        }

    def restore_editor_state(self, state: dict[str, tuple[str, int, bool]]) -> None:
        """Put back what :meth:`editor_state` returned (after the versions were reloaded): the text,
        the cursor and the focus exactly as they were; not an edit."""
        self._loading = True
        try:
            for lang, edit in (("en", self.english), ("es", self.spanish)):
                text, position, focused = state[lang]
                fit_wrap(edit, text)  # a long run without a space wraps anywhere (ui.longtext)
                edit.setPlainText(text)
                cursor = edit.textCursor()
                cursor.setPosition(min(position, len(text)))
                edit.setTextCursor(cursor)
                if focused:
                    edit.setFocus()
        finally:
            self._loading = False

    def current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else len(self.model.paragraphs) - 1

    def _if_row(self, action: Any) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            action(index.row())

    def _row_changed(self, *_args: Any) -> None:
        index = self.table.currentIndex()
        paragraph = self.model.paragraphs[index.row()] if index.isValid() else None
        self._loading = True
        try:
            for highlighter in self.highlighters:
                highlighter.set_sources(paragraph.data.get("sources") if paragraph else None)
            for lang, edit in (("en", self.english), ("es", self.spanish)):
                text = (paragraph.data.get(lang) or "") if paragraph else ""
                if edit.toPlainText() != text:
                    fit_wrap(edit, text)
                    edit.setPlainText(text)
                edit.setEnabled(paragraph is not None and self.model.editable)
            self.sources.show_paragraph(paragraph.data if paragraph else None)
        finally:
            self._loading = False

    def _text_changed(self, lang: str) -> None:
        if self._loading:
            return
        index = self.table.currentIndex()
        if not index.isValid():
            return
        edit = self.english if lang == "en" else self.spanish
        self.paragraph_edited.emit(index.row(), lang, edit.toPlainText())

    def _split(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        edit = self.spanish if self.spanish.hasFocus() else self.english
        self.split_requested.emit(
            index.row(), "es" if edit is self.spanish else "en", edit.textCursor().position()
        )

    def set_issues(self, issues: list[Any]) -> None:
        self.issues.set_issues(issues)
        count = len(issues)
        self.issue_title.setText(
            _("Consistency: nothing to look at")
            if not count
            else _("Consistency: {count} to look at").format(count=count)
        )

    def _issue(self, index: Any) -> None:
        if index.isValid():
            self.issue_activated.emit(self.issues.issues[index.row()])

    def select_paragraph(self, paragraph_id: str) -> None:
        for row, p in enumerate(self.model.paragraphs):
            if p.id == paragraph_id:
                self.table.selectRow(row)

    def clear(self) -> None:
        self.versions, self.shown = [], None
        self._event_numbers = {}
        self.model.set_paragraphs([], {}, False)
        self.form.clear()
        self.issues.set_issues([])
        self._loading = True
        try:
            self.english.clear()
            self.spanish.clear()
            self.version.clear()
            self.sources.show_paragraph(None)
        finally:
            self._loading = False

    # -- language --------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.draft_button.setText(_("Draft from interview and chronology…"))
        self.sign_button.setText(_("Mark as signed…"))
        self.export_button.setText(_("Export PDF…"))
        self.reading_button.setText(_("Spanish reading copy…"))
        self.english_label.setText(_("English").upper())
        self.spanish_label.setText(_("Spanish").upper())
        self.add_button.setText(_("Add"))
        self.add_button.setToolTip(_("Add a paragraph after this one (Ctrl+Shift+Insert)"))
        self.split_button.setText(_("Split at cursor"))
        self.split_button.setToolTip("Ctrl+Shift+Enter")
        self.merge_button.setText(_("Merge with next"))
        self.merge_button.setToolTip("Ctrl+Shift+M")
        self.delete_button.setText(_("Delete"))
        self.up_button.setText(_("Move up"))
        self.up_button.setToolTip("Alt+Up")
        self.down_button.setText(_("Move down"))
        self.down_button.setToolTip("Alt+Down")
        self.link_button.setText(_("Link events…"))
        self.english.setPlaceholderText(_("The paragraph in English"))
        self.spanish.setPlaceholderText(_("The paragraph in Spanish"))
        for i, v in enumerate(self.versions):
            self.version.setItemText(i, self._version_label(v))
        self.model.retranslate()
        self.issues.retranslate()
        self._state()
        self.set_issues(self.issues.issues)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
