"""The Documents tab's translations (8 C.F.R. § 1003.33): the "Translation…" dialog, what a filing
still needs for the selected document, and "Export translation…". Part of the documents controller
(:mod:`ui.controllers.documents`), kept apart for size; the work is DocumentService's."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from desktop.i18n import N_, _
from ui import dialogs, ops
from ui.models.documents import language_name

if TYPE_CHECKING:
    from desktop.case.model import Record
    from ui.controllers.documents import DocumentsController


def filing_note(controller: DocumentsController, record: Record | None) -> str:
    """The line under the viewer: what a filing still needs for this document, or that it is ready."""
    if record is None or controller.session is None:
        return ""
    data = record.data
    if data.get("language") == "en":
        return ""
    missing = controller.service.translation_missing(record)
    if not data.get("language"):
        return _("Language not recorded: say the document's language to know whether it needs a translation.")
    language = language_name(data.get("language"))
    if not missing:
        return _("{language} document: English translation and certificate ready.").format(language=language)
    from desktop.evidence.service import NEEDS_TRANSLATION

    if NEEDS_TRANSLATION in missing and len(missing) > 1:
        return _(
            "{language} document: needs an English translation and the translator's certificate."
        ).format(language=language)
    return _("{language} document: needs {items}.").format(
        language=language, items="; ".join(_(m) for m in missing)
    )


def edit_translation(controller: DocumentsController, document_id: str) -> None:
    """Open the dialog; store the language (if asked), the translation and the translator at once."""
    from ui.document_dialogs import TranslationDialog

    session, client = controller.session, controller.client
    assert session is not None and client is not None
    service = controller.service
    record = session.get(document_id)
    english = [
        (r.id, r.data.get("title") or "")
        for r in service.documents(client.id)
        if r.id != document_id and r.data.get("language") == "en"
    ]
    dialog = TranslationDialog(dict(record.data), english, service.last_translator(), controller.window)
    if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
        return
    language, translation, person = dialog.chosen_language(), dialog.translation(), dialog.translator()

    def change() -> object:
        with session.store.vault.transaction():  # all or nothing
            if language:
                session.store.set_field(document_id, "language", language)
            service.set_translation(document_id, **translation)
            return service.set_translator(document_id, **person)

    if controller._change(document_id, change):
        controller.status(lambda: _("The translation was recorded."), 6000)


def export_translation(controller: DocumentsController, document_id: str) -> None:
    """Write the translation PDF (with its certificate) where the user says, readable by them only."""
    import os

    from desktop.vault import fsutil

    session = controller.session
    assert session is not None
    record = session.get(document_id)
    name = Path(record.data.get("filename") or record.data.get("title") or "document").stem
    path = dialogs.save_file(
        controller.window,
        _("Export the translation"),
        Path.home() / _("{name} - English translation.pdf").format(name=name),
        "PDF (*.pdf)",
    )
    if path is None:
        return
    vault = session.store.vault.path.resolve()

    def write() -> Path:
        from desktop.errors import ValidationError

        target = path.parent.resolve() / path.name
        if target == vault or vault in target.parents:
            raise ValidationError(
                N_("Documents cannot be exported into the vault folder; choose another folder."), field="out"
            )
        data = controller.service.translation_pdf(document_id)
        with ops.writing():
            fsutil.write_atomic(target, data)
            os.chmod(target, 0o600)
        return target

    written = ops.run_op(controller.window, write, title=_("Not exported"))
    if written is not None:
        dialogs.info(
            controller.window,
            _("Exported"),
            _("The translation was written to {path}. It is not encrypted: keep it safe.").format(
                path=written
            ),
        )
