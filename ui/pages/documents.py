"""The Documents tab of a client's record (Ctrl+9): the evidence kept in the vault (a table), the
actions on the selected document, and the viewer below. A view: it emits intents, the documents
controller (:mod:`ui.controllers.documents`) does the work."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.case.model import Record
from desktop.i18n import _
from ui.models.documents import DocumentTableModel
from ui.pages.document_viewer import DocumentViewer


class DocumentsTab(QWidget):
    import_requested = Signal()
    open_requested = Signal(str)  # document id
    link_requested = Signal(str)
    export_requested = Signal(str)
    delete_requested = Signal(str)
    ocr_requested = Signal(str)
    translation_requested = Signal(str)
    export_translation_requested = Signal(str)
    selected = Signal(str)  # document id, '' when none

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentsTab")
        self.model = DocumentTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("table_document")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.resizeSection(0, 340)
        for column, width in ((1, 200), (2, 90), (3, 110), (4, 72), (5, 80)):
            header.resizeSection(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.doubleClicked.connect(lambda _index: self._emit(self.open_requested))

        self.import_button = QPushButton(self)
        self.import_button.setObjectName("importDocuments")
        self.import_button.clicked.connect(self.import_requested)
        self.open_button = QPushButton(self)
        self.link_button = QPushButton(self)
        self.export_button = QPushButton(self)
        self.delete_button = QPushButton(self)
        self.ocr_button = QPushButton(self)
        self.ocr_button.setObjectName("ocrButton")
        self.open_button.clicked.connect(lambda: self._emit(self.open_requested))
        self.link_button.clicked.connect(lambda: self._emit(self.link_requested))
        self.export_button.clicked.connect(lambda: self._emit(self.export_requested))
        self.delete_button.clicked.connect(lambda: self._emit(self.delete_requested))
        self.ocr_button.clicked.connect(lambda: self._emit(self.ocr_requested))
        self.translation_button = QPushButton(self)
        self.translation_button.setObjectName("translationButton")
        self.translation_button.clicked.connect(lambda: self._emit(self.translation_requested))
        self.export_translation_button = QPushButton(self)
        self.export_translation_button.setObjectName("exportTranslationButton")
        self.export_translation_button.clicked.connect(lambda: self._emit(self.export_translation_requested))
        self._translation_ready = False
        self.ocr_available = True
        self.ocr_reason = ""
        self.ocr_running = False
        self._text_source: str | None | bool = False
        buttons = QHBoxLayout()
        for button in (
            self.import_button,
            self.open_button,
            self.link_button,
            self.export_button,
            self.ocr_button,
            self.translation_button,
            self.export_translation_button,
            self.delete_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.empty = QLabel(self)
        self.empty.setObjectName("emptyHint")
        self.empty.setWordWrap(True)
        self.text_note = QLabel(self)
        self.text_note.setObjectName("documentTextNote")
        self.text_note.setWordWrap(True)
        self.translation_note = QLabel(self)  # what a filing still needs (translation, certificate)
        self.translation_note.setObjectName("documentTranslationNote")
        self.translation_note.setWordWrap(True)

        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(self.empty)
        self.viewer = DocumentViewer(self)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.viewer)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([180, 520])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.text_note)
        layout.addWidget(self.translation_note)
        self.retranslate_ui()
        self._update_buttons()

    # -- data ------------------------------------------------------------------------------------
    def set_records(
        self, records: list[Record], linked: dict[str, Record], *, select: str | None = None
    ) -> None:
        keep = select or self.current_id()
        self.model.set_records(records, linked)
        self.empty.setVisible(not records)
        row = self.model.row_of(keep) if keep else -1
        if row < 0 and records:
            row = 0
        if row >= 0:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
        else:
            self.viewer.clear()
            self.selected.emit("")
        self._update_buttons()

    def clear(self) -> None:
        self.model.clear()
        self.viewer.clear()
        self.set_text_source(False)
        self.empty.setVisible(True)
        self._update_buttons()

    def current_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.record_at(index.row()).id

    def current_record(self) -> Record | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.record_at(index.row())

    def viewer_document_id(self) -> str | None:
        """The document the viewer shows (its page edits are for it)."""
        return self.viewer.document.id if self.viewer.document is not None else None

    def select(self, record_id: str) -> None:
        row = self.model.row_of(record_id)
        if row >= 0:
            self.table.selectRow(row)

    def set_ocr_state(self, available: bool, reason: str, running: bool = False) -> None:
        """OCR can run (tesseract with Spanish and English), or why not; or it is running now."""
        self.ocr_available, self.ocr_reason, self.ocr_running = available, reason, running
        self._update_buttons()

    def set_text_source(self, source: str | None | bool) -> None:
        """Where the shown document's searchable text came from ("embedded", "ocr", None: none
        yet); False: no document is shown."""
        self._text_source = source
        self._show_text_note()

    def set_translation_note(self, note: str, ready: bool) -> None:
        """What a filing still needs for the shown document; ``ready``: its translation can be exported."""
        self.translation_note.setText(note)
        self.translation_note.setVisible(bool(note))
        self._translation_ready = ready
        self._update_buttons()

    def _show_text_note(self) -> None:
        source = self._text_source
        if source is False:
            text = ""
        elif source == "ocr":
            text = _("Its text was read by OCR; the client search finds words in it.")
        elif source == "embedded":
            text = _("Its text is in the PDF; the client search finds words in it.")
        else:
            text = _("No text of this document is known yet: run OCR to make it searchable.")
        self.text_note.setText(text)

    # -- internals -------------------------------------------------------------------------------
    def _emit(self, signal: Signal) -> None:  # type: ignore[valid-type]
        record_id = self.current_id()
        if record_id:
            signal.emit(record_id)  # type: ignore[attr-defined]

    def _current_changed(self, *_args: object) -> None:
        self._update_buttons()
        self.selected.emit(self.current_id() or "")

    def _update_buttons(self) -> None:
        has = self.current_id() is not None
        for button in (
            self.open_button,
            self.link_button,
            self.export_button,
            self.delete_button,
            self.translation_button,
        ):
            button.setEnabled(has)
        self.export_translation_button.setEnabled(has and self._translation_ready)
        self.ocr_button.setEnabled(has and self.ocr_available and not self.ocr_running)
        if not self.ocr_available:
            self.ocr_button.setToolTip(self.ocr_reason)
        else:
            self.ocr_button.setToolTip(
                _("Read the text of the scanned pages (Spanish and English) for the search")
            )

    def retranslate_ui(self) -> None:
        self.import_button.setText(_("Import documents…"))
        self.import_button.setToolTip(
            _("PDF, JPEG, PNG or TIFF files; you can also drop files or folders on the window")
        )
        self.open_button.setText(_("View"))
        self.link_button.setText(_("Link to…"))
        self.export_button.setText(_("Export…"))
        self.ocr_button.setText(_("Read text (OCR)"))
        self.delete_button.setText(_("Delete"))
        self.translation_button.setText(_("Translation…"))
        self.translation_button.setToolTip(
            _("The English translation and the translator's certificate a filing needs (8 C.F.R. § 1003.33)")
        )
        self.export_translation_button.setText(_("Export translation…"))
        self.empty.setText(
            _(
                "No documents yet. Import the evidence (I-213, FOIA responses, police clearances, court "
                "records, photos …) to keep it inside the encrypted vault, or drop the files here."
            )
        )
        self.model.retranslate()
        self._update_buttons()
        self._show_text_note()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
