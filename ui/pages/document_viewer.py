"""The document viewer: the page shown large and a strip of page thumbnails, drawn from the bytes in
memory only (QtPdf over a QBuffer for a PDF, QImageReader over a QBuffer for an image; nothing is
written to disk). Page 1 is drawn first; a thumbnail is drawn when the strip first shows it.

Page edits (rotate, move earlier or later, delete) and "Revert to…" are intents for the controller,
which stores each as a new revision through the document service; the original stays as imported."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QImageReader, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.case.model import Record
from desktop.i18n import N_, _, format_size
from ui.models.documents import PageListModel

#: What made a revision (the ``made`` of a revision entry), as the viewer says it.
MADE = {
    "import": N_("as imported"),
    "repaired": N_("repaired PDF"),
    "orientation": N_("photo turned upright"),
    "location_removed": N_("photo location removed"),
    "rotate": N_("pages rotated"),
    "rearrange": N_("pages moved or deleted"),
    "revert": N_("an earlier revision restored"),
}


class PageSource(QObject):
    """The pages of one revision, drawn from its bytes in memory."""

    def __init__(self, data: bytes | QByteArray, media: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.media = media
        self._buffer = QBuffer(self)
        self._buffer.setData(data if isinstance(data, QByteArray) else QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._pdf: Any = None
        if media == "pdf":
            from PySide6.QtPdf import QPdfDocument

            self._pdf = QPdfDocument(self)
            self._pdf.load(self._buffer)
            self.count = max(self._pdf.pageCount(), 0)
        else:
            self.count = self._read_frames()

    def _reader(self) -> QImageReader:
        self._buffer.seek(0)
        reader = QImageReader(self._buffer)
        reader.setAutoTransform(True)
        return reader

    def _read_frames(self) -> int:
        """How many frames (a TIFF may hold many); each is decoded only when drawn."""
        reader = self._reader()
        count = reader.imageCount()
        if count <= 0:
            count = 1 if reader.canRead() else 0
        return min(count, 2000)

    def _frame(self, index: int) -> QImage | None:
        reader = self._reader()
        if index and not reader.jumpToImage(index):
            return None
        image = reader.read()
        return None if image.isNull() else image

    def render(self, index: int, box: QSize) -> QImage | None:
        """Page ``index`` (0-based) scaled to fit ``box``, or None."""
        if not 0 <= index < self.count or box.width() <= 0 or box.height() <= 0:
            return None
        if self._pdf is not None:
            points = self._pdf.pagePointSize(index)
            if points.width() <= 0 or points.height() <= 0:
                return None
            scale = min(box.width() / points.width(), box.height() / points.height())
            size = QSize(max(1, round(points.width() * scale)), max(1, round(points.height() * scale)))
            image = self._pdf.render(index, size)
            if image.isNull():
                return None
            page = QImage(size, QImage.Format.Format_RGB32)  # PDF pages are transparent: on paper
            page.fill(Qt.GlobalColor.white)
            painter = QPainter(page)
            painter.drawImage(0, 0, image)
            painter.end()
            return page
        frame = self._frame(index)
        if frame is None:
            return None
        return frame.scaled(
            box, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )


class DocumentViewer(QWidget):
    rotate_requested = Signal(int, int)  # page (0-based), degrees clockwise (90 or 270)
    order_requested = Signal(list)  # the new order of 0-based pages (omitted pages are deleted)
    revert_requested = Signal(int)  # revision index
    ocr_cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentViewer")
        self.document: Record | None = None
        self.source: PageSource | None = None
        self.page = 0
        self._image: QImage | None = None

        self.rotate_left = QToolButton(self)
        self.rotate_right = QToolButton(self)
        self.earlier = QToolButton(self)
        self.later = QToolButton(self)
        self.delete_page = QToolButton(self)
        self.fit_width = QToolButton(self)
        self.fit_width.setCheckable(True)
        self.fit_width.toggled.connect(lambda _on: self._redraw())
        self.revert = QPushButton(self)
        self.revert_menu = QMenu(self.revert)
        self.revert.setMenu(self.revert_menu)
        self.revert_menu.aboutToShow.connect(self._fill_revert_menu)
        self.page_label = QLabel(self)
        self.page_label.setObjectName("pageNumber")
        self.rotate_left.clicked.connect(lambda: self._rotate(270))
        self.rotate_right.clicked.connect(lambda: self._rotate(90))
        self.earlier.clicked.connect(lambda: self._move(-1))
        self.later.clicked.connect(lambda: self._move(1))
        self.delete_page.clicked.connect(self._delete_page)
        tools = QHBoxLayout()
        for button in (
            self.rotate_left,
            self.rotate_right,
            self.earlier,
            self.later,
            self.delete_page,
            self.revert,
        ):
            tools.addWidget(button)
        tools.addStretch(1)
        tools.addWidget(self.fit_width)
        tools.addWidget(self.page_label)

        self.original_label = QLabel(self)
        self.original_label.setObjectName("documentOriginal")
        self.original_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.original_label.setWordWrap(True)
        self.revision_label = QLabel(self)
        self.revision_label.setObjectName("documentRevision")

        self.pages = PageListModel(self)
        self.thumbnails = QListView(self)
        self.thumbnails.setObjectName("pageThumbnails")
        self.thumbnails.setModel(self.pages)
        self.thumbnails.setIconSize(self.pages.icon_size)
        self.thumbnails.setViewMode(QListView.ViewMode.IconMode)  # the page number under its picture
        self.thumbnails.setFlow(QListView.Flow.TopToBottom)
        self.thumbnails.setWrapping(False)
        self.thumbnails.setUniformItemSizes(True)
        self.thumbnails.setSpacing(6)
        self.thumbnails.setFixedWidth(140)
        self.thumbnails.setMovement(QListView.Movement.Static)  # a drop asks the model (a new order) …
        self.thumbnails.setDragEnabled(True)  # … and Static had turned dragging off
        self.thumbnails.viewport().setAcceptDrops(True)
        self.thumbnails.setDropIndicatorShown(True)
        self.thumbnails.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.thumbnails.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.thumbnails.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.thumbnails.selectionModel().currentChanged.connect(lambda cur, _prev: self.show_page(cur.row()))

        self.view = QLabel(self)
        self.view.setObjectName("pageView")
        self.view.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.view.setMinimumSize(200, 200)
        self._resized = QTimer(self)
        self._resized.setSingleShot(True)
        self._resized.setInterval(120)
        self._resized.timeout.connect(self._redraw)
        self.scroll = QScrollArea(self)
        self.scroll.setWidget(self.view)
        self.scroll.setWidgetResizable(True)
        self.scroll.viewport().installEventFilter(self)

        self.ocr_bar = QProgressBar(self)
        self.ocr_bar.setObjectName("ocrProgress")
        self.ocr_label = QLabel(self)
        self.ocr_cancel = QPushButton(self)
        self.ocr_cancel.clicked.connect(self.ocr_cancel_requested)
        ocr_row = QHBoxLayout()
        ocr_row.addWidget(self.ocr_label)
        ocr_row.addWidget(self.ocr_bar, 1)
        ocr_row.addWidget(self.ocr_cancel)
        self.show_ocr_progress(None)

        body = QHBoxLayout()
        body.addWidget(self.thumbnails)
        body.addWidget(self.scroll, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(tools)
        layout.addWidget(self.original_label)
        layout.addWidget(self.revision_label)
        layout.addLayout(ocr_row)
        layout.addLayout(body, 1)
        self.retranslate_ui()
        self._update_buttons()

    # -- showing ---------------------------------------------------------------------------------
    def show_document(
        self, record: Record, data: bytes | QByteArray, media: str, *, page: int | None = None
    ) -> None:
        """Show ``record``'s current revision (``data`` of ``media``): page 1 (or ``page``) at once,
        the thumbnails when the strip shows them."""
        same = self.document is not None and self.document.id == record.id
        self.document = record
        if self.source is not None:
            self.source.deleteLater()
        self.source = PageSource(data, media, self)
        wanted = page if page is not None else (self.page if same else 0)
        wanted = min(max(wanted, 0), max(self.source.count - 1, 0))
        self._draw(wanted)  # the page first, then the strip
        self.pages.set_pages(self.source.count, self.source.render)
        self.thumbnails.setCurrentIndex(self.pages.index(wanted, 0))
        self._describe()
        self._update_buttons()

    def update_record(self, record: Record) -> None:
        """The same document with the same pages, changed otherwise (linked, its text read, a
        revision entry that restored the same bytes)."""
        self.document = record
        self._describe()
        self._update_buttons()

    def clear(self) -> None:
        self.document = None
        if self.source is not None:
            self.source.deleteLater()
        self.source = None
        self._image = None
        self.page = 0
        self.pages.set_pages(0, None)
        self.view.clear()
        self.original_label.clear()
        self.revision_label.clear()
        self.page_label.clear()
        self.show_ocr_progress(None)
        self._update_buttons()

    @property
    def page_count(self) -> int:
        return self.source.count if self.source is not None else 0

    def page_image(self) -> QImage | None:
        """The page shown, as drawn (tests look at its pixels)."""
        return self._image

    def show_page(self, index: int) -> None:
        if self.source is None or not 0 <= index < self.source.count or index == self.page and self._image:
            return
        self._draw(index)
        self._update_buttons()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize and self.source is not None:
            self._resized.start()  # drawn again to the new size once the resizing stops
        return super().eventFilter(watched, event)

    def _redraw(self) -> None:
        if self.source is not None and self.source.count:
            self._draw(self.page)

    def _draw(self, index: int) -> None:
        """Draw page ``index`` whole in the view (or as wide as the view: Fit width), sharp on a
        high-density screen."""
        assert self.source is not None
        self.page = index
        viewport = self.scroll.viewport().size()
        width = max(viewport.width() - 12, 200)
        height = 100_000 if self.fit_width.isChecked() else max(viewport.height() - 12, 200)
        ratio = max(self.devicePixelRatioF(), 1.0)
        self._image = self.source.render(index, QSize(round(width * ratio), round(height * ratio)))
        if self._image is not None:
            self._image.setDevicePixelRatio(ratio)
        if self._image is None:
            self.view.setText(_("This page could not be shown."))
        else:
            self.view.setPixmap(QPixmap.fromImage(self._image))
        self.page_label.setText(
            _("Page {page} of {count}").format(page=index + 1, count=self.source.count)
            if self.source.count
            else ""
        )

    def _describe(self) -> None:
        record = self.document
        if record is None:
            return
        data = record.data
        original = data.get("original") or {}
        self.original_label.setText(
            _("Original: SHA-256 {sha} (as imported, {size})").format(
                sha=original.get("sha256", ""), size=format_size(int(original.get("size") or 0))
            )
        )
        revisions = data.get("revisions") or []
        current = int(data.get("current") or 0)
        made = (revisions[current].get("made") if 0 <= current < len(revisions) else None) or "import"
        self.revision_label.setText(
            _("Showing revision {current} of {count}: {made}").format(
                current=current + 1, count=max(len(revisions), 1), made=_(MADE.get(made, made))
            )
        )

    def _fill_revert_menu(self) -> None:
        self.revert_menu.clear()
        if self.document is None:
            return
        revisions = self.document.data.get("revisions") or []
        current = int(self.document.data.get("current") or 0)
        for i, revision in enumerate(revisions):
            made = revision.get("made") or "import"
            text = _("Revision {number}: {made} (pages: {pages})").format(
                number=i + 1, made=_(MADE.get(made, made)), pages=revision.get("pages", "?")
            )
            action = self.revert_menu.addAction(text)
            action.setEnabled(i != current)
            action.triggered.connect(lambda _checked=False, i=i: self.revert_requested.emit(i))

    # -- edits (intents) -------------------------------------------------------------------------
    def _rotate(self, degrees: int) -> None:
        if self.source is not None and self.source.count:
            self.rotate_requested.emit(self.page, degrees)

    def _move(self, delta: int) -> None:
        count = self.page_count
        other = self.page + delta
        if count < 2 or not 0 <= other < count:
            return
        order = list(range(count))
        order[self.page], order[other] = order[other], order[self.page]
        self.order_requested.emit(order)

    def _delete_page(self) -> None:
        if self.page_count > 1:
            self.order_requested.emit([p for p in range(self.page_count) if p != self.page])

    def _update_buttons(self) -> None:
        count = self.page_count
        has = self.document is not None and count > 0
        self.rotate_left.setEnabled(has)
        self.rotate_right.setEnabled(has)
        self.earlier.setEnabled(has and self.page > 0)
        self.later.setEnabled(has and self.page < count - 1)
        self.delete_page.setEnabled(has and count > 1)
        revisions = (self.document.data.get("revisions") or []) if self.document else []
        self.revert.setEnabled(len(revisions) > 1)

    # -- OCR progress ----------------------------------------------------------------------------
    def show_ocr_progress(self, done_total: tuple[int, int] | None) -> None:
        """("Page 3 of 12") while OCR runs; None hides the row."""
        visible = done_total is not None
        for widget in (self.ocr_bar, self.ocr_label, self.ocr_cancel):
            widget.setVisible(visible)
        if done_total is None:
            return
        done, total = done_total
        self.ocr_bar.setRange(0, max(total, 1))
        self.ocr_bar.setValue(done)
        self.ocr_label.setText(
            _("Reading the text (OCR): page {page} of {count}").format(page=min(done + 1, total), count=total)
        )

    # -- language --------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.rotate_left.setText(_("Rotate left"))
        self.rotate_left.setToolTip(_("Turn this page a quarter turn to the left (a new revision)"))
        self.rotate_right.setText(_("Rotate right"))
        self.rotate_right.setToolTip(_("Turn this page a quarter turn to the right (a new revision)"))
        self.earlier.setText(_("Move earlier"))
        self.later.setText(_("Move later"))
        self.delete_page.setText(_("Delete page"))
        self.delete_page.setToolTip(_("Leave this page out of a new revision; the original keeps it"))
        self.revert.setText(_("Revert to…"))
        self.fit_width.setText(_("Fit width"))
        self.fit_width.setToolTip(
            _("Show the page as wide as the view (scroll to read on); off: the whole page")
        )
        self.thumbnails.setToolTip(_("Drag a page to move it"))
        self.ocr_cancel.setText(_("Cancel"))
        if self.source is not None and self.source.count:
            self.page_label.setText(
                _("Page {page} of {count}").format(page=self.page + 1, count=self.source.count)
            )
        self._describe()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
