"""Documents: the evidence kept in the vault. Importing files (the Import button, or files and folders
dropped on the window) in a worker thread with a line per file; the viewer's page edits and "Revert
to…" as new revisions; links to the client's records; export; delete (undone by Ctrl+Z like any
record); OCR in a worker thread with progress and Cancel. The work is done by
``desktop.evidence.service.DocumentService``; this controller asks, shows and reports."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QObject
from PySide6.QtWidgets import QDialog

from desktop.errors import DeclaraError
from desktop.i18n import _
from ui import dialogs, ops
from ui.controllers.base import Controller, needs_client, needs_vault, on_record

if TYPE_CHECKING:
    from desktop.case.model import Record
    from desktop.evidence.service import DocumentService
    from ui.main_window import MainWindow
    from ui.pages.documents import DocumentsTab
    from ui.session import Session

#: The kinds whose records name what a document is linked to (their labels are shown): those of
#: :data:`ui.models.documents.LINK_KINDS`, which the window's start-up does not import.
LABEL_KINDS = frozenset(("allegation", "rebuttal", "event", "foia_request", "family_member"))
FILE_FILTER_MEDIA = {
    "pdf": "PDF (*.pdf)",
    "jpeg": "JPEG (*.jpg *.jpeg)",
    "png": "PNG (*.png)",
    "tiff": "TIFF (*.tif *.tiff)",
}
SUFFIX = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png", "tiff": ".tif"}


class DocumentsController(Controller):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._shown: tuple[str, str] | None = None  # (document id, sha256 of the revision shown)
        self._follow_page: int | None = None
        self._ocr_cancel: threading.Event | None = None
        self._ocr_document: str | None = None
        self.progress_dialog: Any = None
        self.import_results: list[tuple[str, bool, str]] = []  # name, imported, what the user read
        self.act_import = self.action("actImportDocuments", None, self.import_documents, enabled=on_record)
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    # -- wiring ----------------------------------------------------------------------------------
    @property
    def tab(self) -> DocumentsTab:
        return self.window.record.documents

    @property
    def service(self) -> Any:
        """The open session's document service."""
        session = self.session
        assert session is not None
        return session.documents

    def connect_views(self) -> None:
        tab = self.tab
        tab.import_requested.connect(self.import_documents)
        tab.open_requested.connect(self.view_document)
        tab.link_requested.connect(self.link_document)
        tab.export_requested.connect(self.export_document)
        tab.delete_requested.connect(self.delete_document)
        tab.ocr_requested.connect(self.run_ocr)
        tab.translation_requested.connect(self.edit_translation)
        tab.export_translation_requested.connect(self.export_translation)
        tab.selected.connect(self.show_selected)
        viewer = tab.viewer
        viewer.rotate_requested.connect(self.rotate_page)
        viewer.order_requested.connect(self.rearrange)
        viewer.pages.reorder_requested.connect(self.rearrange)
        viewer.revert_requested.connect(self.revert)
        viewer.ocr_cancel_requested.connect(self.cancel_ocr)
        self.window.clients.client_shown.connect(self.load)

    def session_changed(self, session: Session | None) -> None:
        self._shown = None
        self.cancel_ocr()
        if session is None:
            if self.window._workspace is not None:
                self.tab.clear()
            return
        session.records_changed.connect(self._records_changed)

    def _records_changed(self, client_id: str, kind: str) -> None:
        if (kind == "document" or kind in LABEL_KINDS) and self.is_shown(client_id):
            self.load(client_id)

    # -- the list and the viewer -----------------------------------------------------------------
    @needs_vault
    def load(self, client_id: str) -> None:
        """(Re)load the client's documents; the selection and the page shown stay."""
        from ui.linked_documents import LINKED

        session = self.session
        assert session is not None
        records = self.service.documents(client_id)
        linked = {r.id: r for kind in LABEL_KINDS for r in session.children(client_id, kind)}
        self._update_ocr_state()
        self.tab.set_records(records, linked)
        self.show_selected(self.tab.current_id() or "")
        LINKED.update(records)  # the "Documents" column of rebuttal items and FOIA requests
        for kind in ("rebuttal", "foia_request", "event"):
            section = self.window.record.sections.get(kind)
            if section is not None and section.model is not None:
                section.model.layoutChanged.emit()

    def show_selected(self, document_id: str) -> None:
        if self.session is None:
            return
        record = self.tab.current_record() if document_id else None
        if record is None or record.id != document_id:
            self._shown = None
            self.tab.viewer.clear()
            self.tab.set_text_source(False)
            self.tab.set_translation_note("", False)
            return
        self._show_filing_note(record)
        revisions = record.data.get("revisions") or []
        current = int(record.data.get("current") or 0)
        sha = revisions[current].get("sha256", "") if 0 <= current < len(revisions) else ""
        self.tab.set_text_source(record.data.get("text_source"))
        if self._shown == (record.id, sha) and self.tab.viewer.document is not None:
            self.tab.viewer.update_record(record)  # the same pages: only what is said of them
            return
        current = ops.run_op(self.window, lambda: _in_qt_buffer(self.service, record), title=_("Not shown"))
        if current is None:
            return
        data, media = current
        self.tab.viewer.show_document(record, data, media, page=self._follow_page)
        self._follow_page = None
        self._shown = (record.id, sha)

    @needs_client
    def view_document(self, document_id: str) -> None:
        self.window.clients.show_section(self.section_index())
        self.tab.select(document_id)
        self.tab.viewer.thumbnails.setFocus()

    @staticmethod
    def section_index() -> int:
        from ui.sections import SECTIONS

        return next(i for i, (key, _title) in enumerate(SECTIONS) if key == "documents")

    # -- page edits: each a new revision ---------------------------------------------------------
    def _change(self, document_id: str, change: Callable[[], Any]) -> Any:
        session, client = self.session, self.client
        assert session is not None and client is not None
        return ops.run_op(self.window, lambda: session.change("document", client.id, change))

    @needs_client
    def rotate_page(self, page: int, degrees: int) -> None:
        document_id = self.tab.viewer_document_id()
        if not document_id:
            return
        self._follow_page = page
        if self._change(document_id, lambda: self.service.rotate(document_id, {page: degrees})):
            self.status(
                lambda: _("Page {page} rotated: a new revision; the original is kept.").format(page=page + 1),
                6000,
            )

    @needs_client
    def rearrange(self, order: list[int]) -> None:
        viewer = self.tab.viewer
        document_id = self.tab.viewer_document_id()
        if not document_id or not order:
            return
        page = viewer.page
        self._follow_page = order.index(page) if page in order else min(page, len(order) - 1)
        if self._change(document_id, lambda: self.service.rearrange(document_id, order)):
            self.status(lambda: _("Pages changed: a new revision; the original is kept."), 6000)

    @needs_client
    def revert(self, revision: int) -> None:
        document_id = self.tab.viewer_document_id()
        if document_id and self._change(document_id, lambda: self.service.revert(document_id, revision)):
            self.status(lambda: _("Revision {number} is shown again.").format(number=revision + 1), 6000)

    # -- link, export, delete --------------------------------------------------------------------
    @needs_client
    def link_document(self, document_id: str) -> None:
        from ui.document_dialogs import LinkDialog
        from ui.models.documents import LINK_KINDS, record_label

        session, client = self.session, self.client
        assert session is not None and client is not None
        record = session.get(document_id)
        options = {
            kind: [(r.id, record_label(r)) for r in session.children(client.id, kind)]
            for kind, _l in LINK_KINDS
        }
        dialog = LinkDialog(options, dict(record.data.get("links") or {}), self.window)
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        links = dialog.links()
        self._change(document_id, lambda: self.service.link(document_id, **links))

    @needs_client
    def export_document(self, document_id: str) -> None:
        session = self.session
        assert session is not None
        record = session.get(document_id)
        media = (record.data.get("revisions") or [{}])[int(record.data.get("current") or 0)].get(
            "media"
        ) or "pdf"
        name = Path(record.data.get("filename") or record.data.get("title") or "document").stem
        path = dialogs.save_file(
            self.window,
            _("Export the document"),
            Path.home() / f"{name}{SUFFIX.get(media, '')}",
            FILE_FILTER_MEDIA.get(media, ""),
        )
        if path is None:
            return

        def write() -> Path:
            with ops.writing():
                return self.service.export(document_id, path)

        written = ops.run_op(self.window, write, title=_("Not exported"))
        if written is not None:
            dialogs.info(
                self.window,
                _("Exported"),
                _("The document was written to {path}. It is not encrypted: keep it safe.").format(
                    path=written
                ),
            )

    # -- translations (ui/controllers/translations.py) -------------------------------------------
    def _show_filing_note(self, record: Record) -> None:
        from ui.controllers import translations

        ready = self.service.translation_source(record) is not None
        self.tab.set_translation_note(translations.filing_note(self, record), ready)

    @needs_client
    def edit_translation(self, document_id: str) -> None:
        from ui.controllers import translations

        translations.edit_translation(self, document_id)

    @needs_client
    def export_translation(self, document_id: str) -> None:
        from ui.controllers import translations

        translations.export_translation(self, document_id)

    @needs_client
    def delete_document(self, document_id: str) -> None:
        """A tombstone, as for any record: Ctrl+Z brings it back (with its files)."""
        self.window.clients.delete_record(document_id)

    # -- import ----------------------------------------------------------------------------------
    @needs_vault
    def import_documents(self) -> None:
        """Choose files (several at once) and import them into the client shown."""
        if self.client is None:
            self._no_client()
            return
        paths = dialogs.open_files(
            self.window,
            _("Import documents"),
            Path.home(),
            _("Documents (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)"),
        )
        if paths:
            self.import_paths(paths)

    def _no_client(self) -> None:
        dialogs.info(
            self.window,
            _("No client open"),
            _("Open a client's record first: documents are imported into the client shown."),
        )

    def import_paths(self, paths: list[Path]) -> None:
        """Import these files and folders (walked within bounds) into the client shown, after asking
        for their titles, kinds and languages."""
        from ui.document_dialogs import ImportDialog, collect_files

        if self.session is None or self.client is None or ops.busy():
            self._no_client() if not ops.busy() else self.status(
                lambda: _("Wait for the work under way to finish."), 6000
            )
            return
        found = collect_files(paths)
        if not found.files:
            names = ", ".join(p.name for p in found.skipped[:10])
            dialogs.info(
                self.window,
                _("Nothing to import"),
                _("Only PDF, JPEG, PNG and TIFF files can be imported.")
                + (" " + _("Skipped: {names}").format(names=names) if names else ""),
            )
            return
        dialog = ImportDialog(found.files, self.window, language="es")  # most evidence is in Spanish
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        self._start_import(self.client.id, dialog.items(), dialog.delete_originals.isChecked(), found)

    def _start_import(self, client_id: str, items: list[Any], delete: bool, found: Any) -> None:
        from ui.document_dialogs import ImportProgressDialog

        session = self.session
        assert session is not None
        session.flush()
        service = self.service
        progress = ImportProgressDialog(len(items), self.window)
        self.progress_dialog = progress
        self.import_results = []
        for path in found.skipped:
            self._result(path.name, False, _("not a PDF, JPEG, PNG or TIFF file: skipped"))
        if found.truncated:
            self._result("…", False, _("Too many files or folders too deep: the rest was left out."))
        progress.show()
        self.window.hold(True, _("Importing documents…"))

        def work(report: Callable[[int, int], None]) -> list[tuple[Path, Any, Any, str, tuple[str, ...]]]:
            results: list[tuple[Path, Any, Any, str, tuple[str, ...]]] = []
            for i, item in enumerate(items):
                report(i, len(items))
                try:
                    record = service.add(
                        client_id,
                        item.path,
                        filename=item.path.name,
                        kind=item.kind,
                        language=item.language,
                        title=item.title,
                    )
                except (DeclaraError, OSError) as exc:
                    results.append((item.path, None, exc, "", ()))
                    continue
                removed = ""
                if delete:
                    try:
                        item.path.unlink()
                        removed = "deleted"
                    except OSError as exc:
                        removed = exc.strerror or type(exc).__name__
                results.append((item.path, record, None, removed, tuple(service.last_notes)))
            report(len(items), len(items))
            return results

        ops.run_op(
            self.window,
            work,
            lambda results: self._imported(client_id, results),
            background=True,
            on_progress=progress.set_progress,
            on_failure=self._import_failed,
        )

    def _result(self, name: str, ok: bool, message: str) -> None:
        self.import_results.append((name, ok, message))
        if self.progress_dialog is not None:
            self.progress_dialog.add_result(name, ok, message)

    def _imported(self, client_id: str, results: list[tuple[Path, Any, Any, str, tuple[str, ...]]]) -> None:
        self.window.hold(False)
        imported = 0
        last: str | None = None
        for path, record, error, removed, notes in results:
            if record is None:
                self._result(
                    path.name,
                    False,
                    ops.describe(error)
                    if isinstance(error, DeclaraError)
                    else _("The file could not be read ({detail}).").format(
                        detail=getattr(error, "strerror", "") or ""
                    ),
                )
                continue
            imported += 1
            last = record.id
            message = _("imported")
            if removed == "deleted":
                message = _("imported; the original file was deleted")
            elif removed:
                message = _("imported; the original file could not be deleted ({detail})").format(
                    detail=removed
                )
            self._result(path.name, True, "; ".join([message, *(_(note) for note in notes)]))
        refused = len(self.import_results) - imported
        if self.progress_dialog is not None:
            self.progress_dialog.finish(imported, refused)
        session = self.session
        if session is not None and imported:
            session.saved.emit()
            session.records_changed.emit(client_id, "document")
            if self.is_shown(client_id):
                self.window.clients.show_section(self.section_index())
                if last:
                    self.tab.select(last)
        self.status(
            lambda: _("Imported: {imported}. Not imported: {refused}.").format(
                imported=imported, refused=refused
            ),
            8000,
        )

    def _import_failed(self, error: Exception) -> None:
        self.window.hold(False)
        if self.progress_dialog is not None:
            self.progress_dialog.finish(0, len(self.import_results))
        ops.report(self.window, error, _("Not imported"))

    # -- OCR -------------------------------------------------------------------------------------
    def _update_ocr_state(self) -> None:
        from desktop.evidence import ocr

        available = ocr.available()
        reason = ""
        if not available:  # the core names what to install; else say it here
            reason = ocr.unavailable_reason() or " ".join(
                (
                    _("OCR is not available."),
                    _(
                        "Install tesseract with the Spanish and English language data "
                        "(tesseract-ocr, tesseract-ocr-spa, tesseract-ocr-eng)."
                    ),
                )
            )
        self.tab.set_ocr_state(available, reason, self._ocr_cancel is not None)

    @needs_client
    def run_ocr(self, document_id: str) -> None:
        from desktop.evidence import ocr

        if not ocr.available():
            self._update_ocr_state()
            self.status(lambda: self.tab.ocr_reason, 10000)
            return
        if self._ocr_cancel is not None:
            return
        session, client = self.session, self.client
        assert session is not None and client is not None
        record = session.get(document_id)
        current = ops.run_op(self.window, lambda: self.service.current(record), title=_("Not shown"))
        if current is None:
            return
        data, media = current
        cancel = threading.Event()
        self._ocr_cancel, self._ocr_document = cancel, document_id
        self.tab.set_ocr_state(True, "", running=True)
        self.tab.viewer.show_ocr_progress((0, max(int(record.data.get("pages") or 1), 1)))

        def work(report: Callable[[int, int], None]) -> str:
            return ocr.recognize(data, media, progress=report, cancelled=cancel.is_set)

        ops.run_op(
            self.window,
            work,
            lambda text: self._ocr_done(session, client.id, document_id, text),
            background=True,
            on_progress=lambda done, total: self.tab.viewer.show_ocr_progress((done, total)),
            on_failure=self._ocr_failed,
        )

    def cancel_ocr(self) -> None:
        if self._ocr_cancel is not None:
            self._ocr_cancel.set()

    def _ocr_finished(self) -> None:
        self._ocr_cancel, self._ocr_document = None, None
        if self.window._workspace is not None:
            self.tab.viewer.show_ocr_progress(None)
            self.tab.set_ocr_state(self.tab.ocr_available, self.tab.ocr_reason, False)

    def _ocr_done(self, session: Session, client_id: str, document_id: str, text: str) -> None:
        self._ocr_finished()
        if session is not self.session:
            return  # the vault was locked meanwhile: nothing is stored
        if ops.run_op(
            self.window,
            lambda: (
                session.change("document", client_id, lambda: self.service.set_text(document_id, text, "ocr"))
                or True
            ),
        ):
            self.status(lambda: _("The text was read; the client search finds it now."), 8000)

    def _ocr_failed(self, error: Exception) -> None:
        self._ocr_finished()
        from desktop.evidence import ocr

        if isinstance(error, ocr.OcrCancelled):
            self.status(lambda: _("OCR cancelled. Nothing was stored."), 6000)
        else:
            ops.report(self.window, error, _("OCR failed"))

    # -- drag and drop ---------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if watched is self.window and kind == QEvent.Type.Close:
            self.cancel_ocr()  # the window closes once the worker has stopped (see closeEvent)
            return False
        if watched is self.window and kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            mime = event.mimeData()  # type: ignore[attr-defined]
            urls = [u for u in mime.urls() if u.isLocalFile()] if mime is not None and mime.hasUrls() else []
            if not urls:
                return False
            event.acceptProposedAction()  # type: ignore[attr-defined]
            if kind == QEvent.Type.Drop:
                self.dropped([Path(u.toLocalFile()) for u in urls])
            return True
        return super().eventFilter(watched, event)

    def dropped(self, paths: list[Path]) -> None:
        """Files or folders dropped on the window: imported into the client shown."""
        if self.session is None:
            dialogs.info(
                self.window, _("No vault open"), _("Unlock the vault and open a client's record first.")
            )
            return
        if self.client is None or not self.window.on_record:
            self._no_client()
            return
        self.import_paths(paths)

    # -- language --------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.act_import.setText(_("Import &documents…"))
        if self.session is not None and self.window._workspace is not None and self.client is not None:
            self._update_ocr_state()
            record = self.tab.current_record()
            if record is not None:  # the line under the viewer, said again in the new language
                self._show_filing_note(record)


def _in_qt_buffer(service: DocumentService, record: Record) -> tuple[QByteArray, str]:
    """The current revision copied chunk by chunk into a QByteArray sized once: the viewer holds
    one copy of a 200-page scan, not the vault's bytes and Qt's (peak memory, bench/documents.py)."""
    chunks, media, size = service.current_chunks(record)
    data = QByteArray()
    data.reserve(size)
    for chunk in chunks:
        data.append(chunk)
    return data, media
