"""Export a document (the timeline exhibit now, the declaration next) with a live preview.

The PDF is rendered in a worker thread into memory and previewed with QtPdf from that memory; it
is written to disk only where the user saves it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import LANGUAGE_NAMES, _, current_language
from ui import dialogs, ops
from ui.workers import Task

Renderer = Callable[[str, str | None], bytes]  # (document language, exhibit label) -> PDF bytes


class ExportDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        title: str,
        renderer: Renderer,
        suggested_name: str,
        exhibit: str | None = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(title)
        self.renderer = renderer
        self.suggested_name = suggested_name
        self.pdf: bytes | None = None
        self.render_seconds = 0.0
        self._task: Task | None = None
        self._pending = False
        self.language = QComboBox(self)
        self.language.setObjectName("documentLanguage")
        for code in ("en", "es"):
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(max(self.language.findData(current_language()), 0))
        self.exhibit = QLineEdit(exhibit or "", self)
        self.exhibit.setObjectName("exhibitLabel")
        self.exhibit.setPlaceholderText(_("e.g. Exhibit C"))
        self.exhibit.setVisible(exhibit is not None)
        self.status = QLabel(self)
        self.status.setObjectName("fieldNote")
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setFixedHeight(6)
        self.pages = QWidget(self)
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.pages)
        scroll.setObjectName("previewArea")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("Document &language:"), self.language)
        if exhibit is not None:
            form.addRow(_("E&xhibit label:"), self.exhibit)
        top = QHBoxLayout()
        top.addLayout(form, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.busy)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.render)
        self.language.currentIndexChanged.connect(lambda _i: self._debounce.start())
        self.exhibit.textChanged.connect(lambda _t: self._debounce.start())
        self.resize(760, 900)
        self.render()

    # -- rendering (off the GUI thread) ----------------------------------------------------------
    def render(self) -> None:
        if self._task is not None:
            self._pending = True
            return
        lang, label = self.language.currentData(), self.exhibit.text().strip() or None
        renderer = self.renderer
        started = time.perf_counter()
        self.busy.setVisible(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        self.status.setText(_("Preparing the preview…"))
        task = Task(lambda: renderer(lang, label), self)
        task.succeeded.connect(lambda pdf: self._rendered(pdf, time.perf_counter() - started))
        task.failed.connect(self._failed)
        task.finished.connect(self._task_done)
        self._task = task
        task.start()

    def _task_done(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.deleteLater()
        if self._pending:
            self._pending = False
            self.render()

    def _failed(self, error: Exception) -> None:
        self.busy.setVisible(False)
        message = error.message() if hasattr(error, "message") else type(error).__name__
        self.status.setText(_("The document could not be prepared: {reason}").format(reason=message))

    def _rendered(self, pdf: bytes, seconds: float) -> None:
        from PySide6.QtPdf import QPdfDocument

        self.pdf = pdf
        self.render_seconds = seconds
        self.busy.setVisible(False)
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document = QPdfDocument(self)
        document.load(buffer)
        self.page_count = document.pageCount()
        for page in range(document.pageCount()):
            size = document.pagePointSize(page)
            scale = 640 / max(size.width(), 1)
            image = document.render(page, QSize(int(size.width() * scale), int(size.height() * scale)))
            label = QLabel(self.pages)
            label.setObjectName("previewPage")
            label.setPixmap(QPixmap.fromImage(image))
            self.pages_layout.addWidget(label)
        document.close()
        buffer.close()
        self.status.setText(
            _("{pages} pages, prepared in {seconds} s. Nothing is written until you save.").format(
                pages=self.page_count, seconds=f"{seconds:.2f}"
            )
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)

    def wait_rendered(self, timeout_ms: int = 20000) -> bool:
        """For tests and scripts: block until the current preview is ready."""
        from PySide6.QtCore import QCoreApplication, QDeadlineTimer

        deadline = QDeadlineTimer(timeout_ms)
        while (
            self._task is not None or self._debounce.isActive() or self._pending
        ) and not deadline.hasExpired():
            QCoreApplication.processEvents()
            time.sleep(0.01)
        return self.pdf is not None

    # -- saving ----------------------------------------------------------------------------------
    def save(self) -> None:
        from desktop.vault.fsutil import write_atomic

        if self.pdf is None:
            return
        path = dialogs.save_file(
            self, _("Save the PDF"), Path.home() / self.suggested_name, _("PDF files (*.pdf)")
        )
        if path is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        pdf = self.pdf

        def write() -> None:
            with ops.writing():
                write_atomic(path, pdf)
                path.chmod(0o600)

        ops.run_op(self, write, lambda _r: self._saved(path))

    def _saved(self, path: Path) -> None:
        self.saved_path = path
        dialogs.info(
            self,
            _("Saved"),
            _("The PDF was written to {path}. It is not encrypted: keep it safe.").format(path=path),
        )
        self.accept()
