"""Export a document (the timeline exhibit, the declaration) with a live preview.

The PDF is rendered in a worker thread into memory and previewed with QtPdf from that memory; it
is written to disk only where the user saves it. With ``signature_options`` (a signed declaration)
the dialog also offers the conformed copy ("/s/ NAME") and a scanned signature image; the renderer
then receives them as the keyword arguments ``conformed`` and ``signature_image``. With
``declaration_exhibit`` (the timeline exhibit) it asks which exhibit of the filing is the
declaration; the renderer receives the letter as ``declaration_exhibit`` (None when empty). A
``note`` is shown above the preview (e.g. sources printed without a court label). With a
``docx_renderer`` (a request letter) it also saves the document as DOCX to edit, rendered and
written in a worker thread; ``language`` is the document language first shown.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import LANGUAGE_NAMES, _, current_language
from ui import dialogs, ops
from ui.workers import Task

Renderer = Callable[..., bytes]  # (document language, exhibit label, **signature options) -> PDF bytes
# Read at most this much of a chosen signature image: the core refuses anything over 2 MB.
_SIGNATURE_READ_LIMIT = 2 * 1024 * 1024 + 1


class ExportDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        title: str,
        renderer: Renderer,
        suggested_name: str,
        exhibit: str | None = "",
        signature_options: bool = False,
        declaration_exhibit: bool = False,
        note: str = "",
        docx_renderer: Callable[[str], bytes] | None = None,
        language: str | None = None,
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
        self.language.setCurrentIndex(max(self.language.findData(language or current_language()), 0))
        self.docx_renderer = docx_renderer
        self.exhibit = QLineEdit(exhibit or "", self)
        self.exhibit.setObjectName("exhibitLabel")
        self.exhibit.setPlaceholderText(_("e.g. Exhibit C"))
        self.exhibit.setVisible(exhibit is not None)
        self.declaration_exhibit = QLineEdit(self)
        self.declaration_exhibit.setObjectName("declarationExhibit")
        self.declaration_exhibit.setPlaceholderText(_("e.g. A"))
        self.declaration_exhibit.setMaxLength(8)
        self.declaration_exhibit.setVisible(declaration_exhibit)
        self.has_declaration_exhibit = declaration_exhibit
        self.note = QLabel(note, self)
        self.note.setObjectName("fieldNote")
        self.note.setWordWrap(True)
        self.note.setVisible(bool(note))
        self.signature_options = signature_options
        self.signature_image: bytes | None = None
        self.conformed = QCheckBox(_("&Conformed copy: “/s/ name” on the signature lines"), self)
        self.conformed.setObjectName("conformedCopy")
        self.image_button = QPushButton(_("Signature &image…"), self)
        self.image_button.setObjectName("signatureImage")
        self.image_name = QLabel(_("No image: the line is left to sign"), self)
        self.image_name.setObjectName("fieldNote")
        self.image_clear = QPushButton(_("Remove the image"), self)
        self.image_clear.setEnabled(False)
        for widget in (self.conformed, self.image_button, self.image_name, self.image_clear):
            widget.setVisible(signature_options)  # parented to the dialog: never stray at its corner
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
        self.docx_button = self.buttons.addButton(_("Save as &DOCX…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.docx_button.setObjectName("saveDocx")
        self.docx_button.setVisible(docx_renderer is not None)
        self.docx_button.clicked.connect(self.save_docx)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("Document &language:"), self.language)
        if exhibit is not None:
            form.addRow(_("E&xhibit label:"), self.exhibit)
        if declaration_exhibit:
            form.addRow(_("Declaration is exhi&bit:"), self.declaration_exhibit)
        if signature_options:
            image_row = QHBoxLayout()
            image_row.addWidget(self.image_button)
            image_row.addWidget(self.image_name, 1)
            image_row.addWidget(self.image_clear)
            form.addRow("", self.conformed)
            form.addRow(_("Scanned signature:"), image_row)
        top = QHBoxLayout()
        top.addLayout(form, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.note)
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
        self.declaration_exhibit.textChanged.connect(lambda _t: self._debounce.start())
        self.conformed.toggled.connect(self._conformed_toggled)
        self.image_button.clicked.connect(self.choose_signature_image)
        self.image_clear.clicked.connect(lambda: self.set_signature_image(None))
        self.resize(760, 900)
        self.render()

    # -- rendering (off the GUI thread) ----------------------------------------------------------
    def render(self) -> None:
        if self._task is not None:
            self._pending = True
            return
        lang, label = self.language.currentData(), self.exhibit.text().strip() or None
        renderer = self.renderer
        options = self.options()
        started = time.perf_counter()
        self.busy.setVisible(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        self.status.setText(_("Preparing the preview…"))
        task = Task(lambda: renderer(lang, label, **options), self)
        task.succeeded.connect(lambda pdf: self._rendered(pdf, time.perf_counter() - started))
        task.failed.connect(self._failed)
        task.finished.connect(self._task_done)
        self._task = task
        task.start()

    # -- signature options -----------------------------------------------------------------------
    def options(self) -> dict[str, object]:
        """The renderer's keyword arguments: the signature options and the declaration's exhibit
        letter, each only when the dialog offers it."""
        options: dict[str, object] = {}
        if self.signature_options:
            options.update(conformed=self.conformed.isChecked(), signature_image=self.signature_image)
        if self.has_declaration_exhibit:
            options["declaration_exhibit"] = self.declaration_exhibit.text().strip() or None
        return options

    def choose_signature_image(self) -> None:
        path = dialogs.open_file(
            self, _("Choose the scanned signature"), Path.home(), _("Images (*.png *.jpg *.jpeg)")
        )
        if path is None:
            return
        try:
            with open(path, "rb") as fh:
                data = fh.read(_SIGNATURE_READ_LIMIT)
        except OSError as exc:
            dialogs.error(
                self,
                _("Not opened"),
                _("{path} could not be read: {reason}").format(
                    path=path, reason=exc.strerror or type(exc).__name__
                ),
            )
            return
        self.set_signature_image(data, path.name)

    def set_signature_image(self, data: bytes | None, name: str = "") -> None:
        """Use ``data`` (PNG or JPEG bytes, checked by the core) on the declarant's line; None: none."""
        self.signature_image = data
        self.image_name.setText(name if data is not None else _("No image: the line is left to sign"))
        self.image_clear.setEnabled(data is not None)
        if data is not None:
            self.conformed.setChecked(False)
        self.conformed.setEnabled(data is None)
        self._debounce.start()

    def _conformed_toggled(self, _checked: bool) -> None:
        self._debounce.start()

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

    def save_docx(self) -> None:
        """The document as DOCX, in the language shown, rendered and written in a worker thread."""
        from desktop.vault.fsutil import write_atomic

        renderer, lang = self.docx_renderer, self.language.currentData()
        if renderer is None:
            return
        name = Path(self.suggested_name).with_suffix(".docx").name
        path = dialogs.save_file(self, _("Save as DOCX"), Path.home() / name, _("Word documents (*.docx)"))
        if path is None:
            return
        if path.suffix.lower() != ".docx":
            path = path.with_name(path.name + ".docx")

        def write() -> None:
            data = renderer(lang)
            with ops.writing():
                write_atomic(path, data)
                path.chmod(0o600)

        self._docx_task = ops.run_op(self, write, lambda _r: self._saved(path), background=True)

    def _saved(self, path: Path) -> None:
        self.saved_path = path
        dialogs.info(
            self,
            _("Saved"),
            _("The PDF was written to {path}. It is not encrypted: keep it safe.").format(path=path),
        )
        self.accept()
