"""The preview of a built packet, from memory (QtPdf over a QBuffer; nothing is written to disk):
a page at a time (Page Up / Page Down), the index of exhibits with their page ranges (choosing
one shows its tab page), the parts with their sizes, and the result of the check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _, format_size


def page_range(first: int, last: int) -> str:
    return (
        _("p. {first}").format(first=first)
        if first == last
        else _("pp. {first}–{last}").format(first=first, last=last)
    )


class PacketPreview(QWidget):
    page_shown = Signal(int)  # 0-based

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("packetPreview")
        self._buffer: QBuffer | None = None
        self._pdf: Any = None
        self.page = 0
        self.count = 0
        self._built: Any = None
        self._check: Callable[[], str] | None = None  # what the check found, in the language shown
        self._check_ok = False
        self.view = QLabel(self)
        self.view.setObjectName("packetPage")
        self.view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("previewArea")
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.view)
        self.scroll.viewport().installEventFilter(self)
        self.earlier = QPushButton(self)
        self.later = QPushButton(self)
        self.earlier.clicked.connect(lambda: self.show_page(self.page - 1))
        self.later.clicked.connect(lambda: self.show_page(self.page + 1))
        self.page_label = QLabel(self)
        self.check_label = QLabel(self)
        self.check_label.setObjectName("packetCheck")
        self.check_label.setWordWrap(True)
        self.parts_label = QLabel(self)
        self.parts_label.setObjectName("packetParts")
        self.parts_label.setWordWrap(True)
        self.parts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.index_list = QListWidget(self)
        self.index_list.setObjectName("packetIndex")
        self.index_list.setWordWrap(True)
        self.index_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.index_list.itemActivated.connect(self._index_chosen)
        self.index_list.currentItemChanged.connect(lambda item, _old: self._index_chosen(item))
        nav = QHBoxLayout()
        nav.addWidget(self.earlier)
        nav.addWidget(self.page_label, 1, Qt.AlignmentFlag.AlignCenter)
        nav.addWidget(self.later)
        pages = QWidget(self)
        pages_layout = QVBoxLayout(pages)
        pages_layout.setContentsMargins(0, 0, 0, 0)
        pages_layout.addLayout(nav)
        pages_layout.addWidget(self.scroll, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(pages)
        self.splitter.addWidget(self.index_list)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([520, 130])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check_label)
        layout.addWidget(self.parts_label)
        layout.addWidget(self.splitter, 1)
        for keys, step in (("PgUp", -1), ("PgDown", 1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda step=step: self.show_page(self.page + step))
        self._resized = QTimer(self)
        self._resized.setSingleShot(True)
        self._resized.setInterval(120)
        self._resized.timeout.connect(lambda: self.count and self.show_page(self.page))
        self.retranslate_ui()
        self.clear()

    # -- data ------------------------------------------------------------------------------------
    def show_built(self, built: Any, check: Callable[[], str], ok: bool) -> None:
        """A built packet (``BuiltPacket``): its whole PDF from memory, the index and the parts;
        ``check()``: what the check found, in the interface language (``ok``: it passed)."""
        self._built, self._check, self._check_ok = built, check, ok
        from PySide6.QtPdf import QPdfDocument

        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(built.pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._pdf = QPdfDocument(self)
        self._pdf.load(self._buffer)
        self.count = max(self._pdf.pageCount(), 0)
        self._describe()
        self.show_page(0)

    def show_refusal(self, message: Callable[[], str]) -> None:
        """The build or its check refused: say why; nothing is shown to save."""
        self.clear()
        self._check, self._check_ok = message, False
        self._describe()

    def clear(self) -> None:
        self._built, self._check, self._check_ok = None, None, False
        self._pdf, self._buffer, self.count, self.page = None, None, 0, 0
        self.view.clear()
        self.index_list.clear()
        self._describe()

    @property
    def built(self) -> Any:
        return self._built

    def page_image(self, index: int, box: QSize | None = None) -> QImage | None:
        """Page ``index`` drawn on white to fit ``box`` (default 425×550), or None."""
        if self._pdf is None or not 0 <= index < self.count:
            return None
        box = box or QSize(425, 550)
        points = self._pdf.pagePointSize(index)
        if points.width() <= 0 or points.height() <= 0:
            return None
        scale = min(box.width() / points.width(), box.height() / points.height())
        size = QSize(max(1, round(points.width() * scale)), max(1, round(points.height() * scale)))
        image = self._pdf.render(index, size)
        if image.isNull():
            return None
        page = QImage(size, QImage.Format.Format_RGB32)
        page.fill(Qt.GlobalColor.white)
        painter = QPainter(page)
        painter.drawImage(0, 0, image)
        painter.end()
        return page

    def show_page(self, index: int) -> None:
        if not self.count:
            return
        index = min(max(index, 0), self.count - 1)
        self.page = index
        viewport = self.scroll.viewport().size()
        ratio = max(self.devicePixelRatioF(), 1.0)
        box = QSize(
            round(max(viewport.width() - 12, 200) * ratio), round(max(viewport.height() - 12, 260) * ratio)
        )
        image = self.page_image(index, box)
        if image is None:
            self.view.setText(_("This page could not be shown."))
        else:
            image.setDevicePixelRatio(ratio)
            self.view.setPixmap(QPixmap.fromImage(image))
        self._update_nav()
        self.page_shown.emit(index)

    # -- internals -------------------------------------------------------------------------------
    def _index_chosen(self, item: QListWidgetItem | None) -> None:
        if item is not None and item.data(Qt.ItemDataRole.UserRole) is not None:
            self.show_page(int(item.data(Qt.ItemDataRole.UserRole)))

    def _update_nav(self) -> None:
        self.earlier.setEnabled(self.count > 0 and self.page > 0)
        self.later.setEnabled(self.count > 0 and self.page < self.count - 1)
        self.page_label.setText(
            _("Page {page} of {count}").format(page=self.page + 1, count=self.count) if self.count else ""
        )

    def _describe(self) -> None:
        built = self._built
        if self._check is not None:
            mark = "✓ " if self._check_ok else "✗ "
            self.check_label.setText(mark + self._check())
        else:
            self.check_label.setText(
                _("Not built yet. Build and preview assembles the packet in memory; nothing is written.")
            )
        self.check_label.setProperty(
            "state", "ok" if self._check_ok else ("bad" if self._check is not None else "")
        )
        self.check_label.style().unpolish(self.check_label)
        self.check_label.style().polish(self.check_label)
        if built is None:
            self.parts_label.clear()
            self.parts_label.setVisible(False)
        else:
            parts = [
                _("{name}: {pages}, {size}").format(
                    name=part.name,
                    pages=page_range(part.first_page, part.last_page),
                    size=format_size(len(part.data)),
                )
                for part in built.parts
            ]
            self.parts_label.setText("\n".join(parts))
            self.parts_label.setVisible(True)
        current = self.index_list.currentRow()
        self.index_list.blockSignals(True)
        self.index_list.clear()
        if built is not None:
            for entry in built.index:
                text = _("Exhibit {label} — {description} — {pages}").format(
                    label=entry.label,
                    description=entry.description,
                    pages=page_range(entry.first_page, entry.last_page),
                )
                item = QListWidgetItem(text, self.index_list)
                item.setData(Qt.ItemDataRole.UserRole, entry.first_page - 1)
        if 0 <= current < self.index_list.count():
            self.index_list.setCurrentRow(current)
        self.index_list.blockSignals(False)
        self._update_nav()

    def eventFilter(self, watched: Any, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize and self.count:
            self._resized.start()
        return super().eventFilter(watched, event)

    def retranslate_ui(self) -> None:
        self.earlier.setText(_("◀ Previous page"))
        self.earlier.setToolTip(_("Page Up"))
        self.later.setText(_("Next page ▶"))
        self.later.setToolTip(_("Page Down"))
        self.index_list.setToolTip(_("The index of exhibits: choose one to see its tab page"))
        self._describe()
