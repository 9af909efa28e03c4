"""The Documents tab: importing files (the Import button and files or folders dropped on the window),
the viewer and its page edits as revisions, export, delete and undo, OCR, the language switch. Real
widgets over a real encrypted vault; the files are fictional, made here with reportlab."""

from __future__ import annotations

import hashlib
import stat

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui.pages import dark_share, make_pdf
from ui import dialogs, ops

CTRL = Qt.KeyboardModifier.ControlModifier


def test_ctrl_9_shows_the_documents_tab(unlocked, open_client):
    open_client(unlocked, "José")
    QTest.keyClick(unlocked.record, Qt.Key.Key_9, CTRL)
    assert unlocked.record.tabs.currentWidget() is unlocked.record.documents


def test_an_imported_pdf_joins_the_table_and_its_first_page_is_drawn(jose, import_files, tmp_path):
    tab = jose.record.documents
    before = tab.model.rowCount()
    path = tmp_path / "constancia_antecedentes.pdf"
    path.write_bytes(make_pdf(["Constancia de antecedentes", "Página dos"]))
    results = import_files(jose, [path])
    assert results == [("constancia_antecedentes.pdf", True, "imported")]
    assert tab.model.rowCount() == before + 1
    record = tab.current_record()
    assert record.data["title"] == "constancia antecedentes"
    assert record.data["kind"] == "police_clearance"  # guessed from the file name
    assert record.data["pages"] == 2
    assert tab.model.index(tab.model.row_of(record.id), 4).data() == "2"
    assert path.exists()  # not asked to delete it
    viewer = tab.viewer
    assert viewer.document.id == record.id and viewer.page_count == 2
    image = viewer.page_image()
    assert image is not None and image.height() > image.width()  # a portrait page
    assert 0.02 < dark_share(image) < 0.6  # drawn: neither blank nor black
    assert viewer.thumbnails.model().rowCount() == 2


def test_rotating_a_page_makes_revision_2_and_keeps_the_original(jose, import_files, tmp_path):
    data = make_pdf(["Acta de nacimiento"])
    path = tmp_path / "partida.pdf"
    path.write_bytes(data)
    import_files(jose, [path])
    tab = jose.record.documents
    viewer = tab.viewer
    assert viewer.page_image().height() > viewer.page_image().width()
    viewer.rotate_right.click()
    record = jose.session.get(tab.current_id())
    assert len(record.data["revisions"]) == 2 and record.data["current"] == 1
    assert record.data["original"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert record.data["revisions"][1]["sha256"] != record.data["original"]["sha256"]
    assert jose.documents.service.original(record)[0] == data
    image = viewer.page_image()
    assert image.width() > image.height()  # the page is now landscape
    assert "2 of 2" in viewer.revision_label.text()
    assert hashlib.sha256(data).hexdigest() in viewer.original_label.text()
    assert tab.model.index(tab.model.row_of(record.id), 5).data() == "2 of 2"
    viewer.revert_menu.aboutToShow.emit()
    first = viewer.revert_menu.actions()[0]
    assert first.isEnabled() and not viewer.revert_menu.actions()[1].isEnabled()
    first.trigger()
    record = jose.session.get(record.id)
    assert record.data["current"] != 1
    assert viewer.page_image().height() > viewer.page_image().width()


def test_deleting_a_page_leaves_fewer_pages(jose, import_files, tmp_path):
    path = tmp_path / "court_record.pdf"
    path.write_bytes(make_pdf(["Uno", "Dos", "Tres"]))
    import_files(jose, [path])
    tab = jose.record.documents
    viewer = tab.viewer
    viewer.thumbnails.setCurrentIndex(viewer.pages.index(1, 0))
    assert viewer.page == 1
    viewer.delete_page.click()
    record = jose.session.get(tab.current_id())
    assert record.data["pages"] == 2 and viewer.page_count == 2
    assert jose.documents.service.original(record)[0] == path.read_bytes()
    viewer.thumbnails.setCurrentIndex(viewer.pages.index(1, 0))
    viewer.earlier.click()  # the last page moved first
    assert jose.session.get(record.id).data["pages"] == 2
    assert len(jose.session.get(record.id).data["revisions"]) == 3
    assert viewer.page == 0


def test_a_dropped_folder_imports_the_pdf_and_reports_the_text_file(jose, qtbot, tmp_path):
    folder = tmp_path / "escaneos"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "foia_cbp.pdf").write_bytes(make_pdf(["FOIA"]))
    (folder / "notas.txt").write_text("apuntes")
    tab = jose.record.documents
    before = tab.model.rowCount()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    dialogs.set_next_answer(True)  # the import dialog, as filled in
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(200, 200), Qt.DropAction.CopyAction, mime, left, none)
    QApplication.sendEvent(jose, enter)
    assert enter.isAccepted()  # the window takes files anywhere
    drop = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime, left, none)
    QApplication.sendEvent(jose, drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: not ops.busy() and jose.documents.progress_dialog.close_button.isEnabled())
    assert tab.model.rowCount() == before + 1
    assert tab.current_record().data["kind"] == "foia_response"
    results = {name: ok for name, ok, _message in jose.documents.import_results}
    assert results == {"notas.txt": False, "foia_cbp.pdf": True}
    assert any("notas.txt" in line and "✗" in line for line in jose.documents.progress_dialog.lines())


def test_a_drop_with_no_client_open_says_so(unlocked, tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(make_pdf(["x"]))
    dialogs.set_next_answer(True)
    unlocked.documents.dropped([path])
    assert dialogs.shown[-1][0] == "info" and "client" in dialogs.shown[-1][1]


def test_delete_the_original_after_importing(jose, import_files, tmp_path):
    path = tmp_path / "foto.png"
    from PySide6.QtGui import QColor, QImage

    image = QImage(60, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("#336699"))
    assert image.save(str(path))

    def fill(dialog):
        assert "SSD" in dialog.delete_note.text()
        dialog.titles[0].setText("Foto de la casa")
        dialog.delete_originals.setChecked(True)

    results = import_files(jose, [path], fill)
    assert results[0][:2] == ("foto.png", True) and "deleted" in results[0][2]
    assert not path.exists()
    record = jose.record.documents.current_record()
    assert record.data["title"] == "Foto de la casa" and record.data["kind"] == "photo"


def test_a_refused_file_is_reported_in_its_line_and_nothing_is_stored(jose, import_files, tmp_path):
    fake = tmp_path / "i213.pdf"
    fake.write_bytes(b"this is not a PDF at all")
    good = tmp_path / "nta.pdf"
    good.write_bytes(make_pdf(["Notice to Appear"]))
    tab = jose.record.documents
    before = tab.model.rowCount()
    results = import_files(jose, [fake, good])
    assert [(name, ok) for name, ok, _m in results] == [("i213.pdf", False), ("nta.pdf", True)]
    assert results[0][2] and "Traceback" not in results[0][2]
    assert tab.model.rowCount() == before + 1


def test_export_writes_a_private_file(jose, import_files, tmp_path):
    path = tmp_path / "medical.pdf"
    path.write_bytes(make_pdf(["Informe médico"]))
    import_files(jose, [path])
    tab = jose.record.documents
    out = tmp_path / "out" / "exported.pdf"
    out.parent.mkdir()
    dialogs.set_next_answer(str(out))
    dialogs.set_next_answer(True)  # the "Exported" note
    tab.export_button.click()
    assert out.read_bytes() == path.read_bytes()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_delete_and_undo(jose, import_files, tmp_path):
    path = tmp_path / "carta.pdf"
    path.write_bytes(make_pdf(["Carta de apoyo"]))
    import_files(jose, [path])
    tab = jose.record.documents
    rows = tab.model.rowCount()
    document_id = tab.current_id()
    tab.delete_button.click()
    assert tab.model.rowCount() == rows - 1 and tab.model.row_of(document_id) == -1
    jose.clients.act_undo.trigger()
    assert tab.model.row_of(document_id) >= 0


def test_link_to_an_allegation(jose, import_files, languages, tmp_path):
    allegation = jose.session.create(
        "allegation", {"kind": "gang_affiliation", "status": "unresolved"}, client_id=jose.record.client.id
    )
    path = tmp_path / "i-213.pdf"
    path.write_bytes(make_pdf(["I-213"]))
    import_files(jose, [path])
    tab = jose.record.documents
    dialogs.set_next_answer(lambda dialog: dialog.choose("allegation", allegation.id))
    tab.link_button.click()
    record = jose.session.get(tab.current_id())
    assert record.data["links"]["allegation"] == allegation.id
    linked = tab.model.index(tab.model.row_of(record.id), 6)
    assert linked.data().startswith("Gang affiliation")
    languages.set_language("es")  # the linked record is named in the new language
    assert linked.data().startswith("Presunta vinculación con pandillas")


def test_ocr_is_off_with_the_reason_when_tesseract_is_missing(monkeypatch, unlocked, open_client, tmp_path):
    from desktop.evidence import ocr

    monkeypatch.setattr(ocr, "available", lambda: False)
    open_client(unlocked, "José")
    tab = unlocked.record.documents
    if tab.model.rowCount() == 0:
        unlocked.documents.service.add(unlocked.record.client.id, make_pdf(["x"]), filename="x.pdf")
        unlocked.documents.load(unlocked.record.client.id)
    assert tab.current_id() is not None
    assert not tab.ocr_button.isEnabled()
    assert "tesseract" in tab.ocr_button.toolTip()


def test_ocr_in_the_background_makes_the_text_searchable(jose, import_files, qtbot, tmp_path):
    from desktop.evidence import ocr

    if not ocr.available():
        pytest.skip("tesseract with spa and eng is not installed")
    from PySide6.QtGui import QColor, QFont, QImage, QPainter

    image = QImage(1700, 600, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(QColor("black"))
    painter.setFont(QFont("DejaVu Sans", 64))
    painter.drawText(80, 300, "SOLVENCIA POLICIAL")
    painter.end()
    path = tmp_path / "scan.png"
    image.save(str(path))
    import_files(jose, [path])
    tab = jose.record.documents
    document_id = tab.current_id()
    assert tab.ocr_button.isEnabled()
    seen = []
    tab.viewer.ocr_bar.valueChanged.connect(seen.append)
    tab.ocr_button.click()
    assert tab.viewer.ocr_cancel.isVisibleTo(tab.viewer)
    qtbot.waitUntil(lambda: not ops.busy(), timeout=60000)
    assert not tab.viewer.ocr_cancel.isVisibleTo(tab.viewer)
    assert jose.session.get(document_id).data["text_source"] == "ocr"
    hits = jose.documents.service.search("solvencia")
    assert (jose.record.client.id, document_id) in hits
    assert jose.session.search("solvencia") == {jose.record.client.id}  # the client list finds José


def test_the_language_switch_keeps_the_table_and_the_page(jose, import_files, languages, tmp_path):
    path = tmp_path / "dos.pdf"
    path.write_bytes(make_pdf(["Uno", "Dos"]))
    import_files(jose, [path])
    tab = jose.record.documents
    tab.viewer.thumbnails.setCurrentIndex(tab.viewer.pages.index(1, 0))
    rows, current = tab.model.rowCount(), tab.current_id()
    note = tab.text_note.text()
    assert note
    languages.set_language("es")
    assert tab.model.headerData(1, Qt.Orientation.Horizontal) == "Tipo"
    assert tab.delete_button.text() == "Eliminar"
    assert tab.model.rowCount() == rows and tab.current_id() == current
    assert tab.viewer.page == 1 and tab.viewer.document.id == current
    languages.set_language("en")
    assert tab.model.headerData(1, Qt.Orientation.Horizontal) == "Kind"
    assert tab.text_note.text() == note


def test_folders_are_walked_within_bounds(tmp_path):
    from ui.document_dialogs import collect_files

    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    (tmp_path / "a" / "one.pdf").write_bytes(b"%PDF")
    (deep / "three.PDF").write_bytes(b"%PDF")
    (tmp_path / "a" / "b" / "two.txt").write_text("x")
    found = collect_files([tmp_path / "a"], max_depth=1)
    assert [p.name for p in found.files] == ["one.pdf"] and [p.name for p in found.skipped] == ["two.txt"]
    assert found.truncated
    found = collect_files([tmp_path / "a"])
    assert sorted(p.name for p in found.files) == ["one.pdf", "three.PDF"] and not found.truncated
    for i in range(5):
        (tmp_path / "a" / f"x{i}.png").write_bytes(b"")
    found = collect_files([tmp_path / "a"], max_files=3)  # the files looked at, taken or not
    assert len(found.files) + len(found.skipped) == 3 and found.truncated


def test_a_dragged_thumbnail_asks_for_the_new_order():
    from ui.models.documents import moved_order

    assert moved_order(4, [3], 0) == [3, 0, 1, 2]
    assert moved_order(4, [0], 4) == [1, 2, 3, 0]
    assert moved_order(4, [1], 3) == [0, 2, 1, 3]


def test_nothing_of_a_document_is_written_outside_the_vault(jose, import_files, tmp_path):
    path = tmp_path / "user" / "escrito.pdf"
    path.parent.mkdir()
    path.write_bytes(make_pdf(["Escrito"]))
    before = {p for p in tmp_path.rglob("*") if p.is_file()}
    import_files(jose, [path])
    jose.record.documents.viewer.rotate_left.click()
    after = {p for p in tmp_path.rglob("*") if p.is_file()}
    plain = [p for p in after - before if p.read_bytes()[:5] == b"%PDF-" or b"Escrito" in p.read_bytes()]
    assert not plain, plain


def test_ocr_shows_its_progress_and_cancel_stores_nothing(monkeypatch, jose, import_files, qtbot, tmp_path):
    import threading

    from desktop.evidence import ocr

    def slow_recognize(data, media, *, progress=None, cancelled=None):
        for page in range(12):
            progress(page, 12)
            while page >= 2 and not cancelled():
                threading.Event().wait(0.01)
            if cancelled():
                raise ocr.OcrCancelled()
        return "never"

    monkeypatch.setattr(ocr, "available", lambda: True)
    monkeypatch.setattr(ocr, "recognize", slow_recognize)
    path = tmp_path / "doce.pdf"
    path.write_bytes(make_pdf(["Uno"]))
    import_files(jose, [path])
    tab = jose.record.documents
    document_id = tab.current_id()
    before = jose.documents.service.text(document_id)
    tab.ocr_button.click()
    assert not tab.ocr_button.isEnabled()  # one OCR at a time
    qtbot.waitUntil(lambda: "page 3 of 12" in tab.viewer.ocr_label.text())
    assert tab.viewer.ocr_bar.maximum() == 12
    tab.viewer.ocr_cancel.click()
    qtbot.waitUntil(lambda: not ops.busy())
    assert "cancelled" in jose.statusBar().currentMessage()
    assert jose.session.get(document_id).data["text_source"] != "ocr"
    assert jose.documents.service.text(document_id) == before
    assert not tab.viewer.ocr_cancel.isVisibleTo(tab.viewer) and tab.ocr_button.isEnabled()


def test_a_thumbnail_dropped_first_moves_its_page_first(jose, import_files, tmp_path):
    from desktop.evidence import pages

    path = tmp_path / "tres.pdf"
    path.write_bytes(make_pdf(["Uno", "Dos", "Tres"]))
    import_files(jose, [path])
    tab = jose.record.documents
    model = tab.viewer.pages
    mime = model.mimeData([model.index(2, 0)])
    model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, model.index(-1, -1))
    record = jose.session.get(tab.current_id())
    assert record.data["revisions"][record.data["current"]]["made"] == "rearrange"
    data, media = jose.documents.service.current(record)
    texts = pages.page_texts(data, media)
    assert ["Tres" in texts[0], "Uno" in texts[1], "Dos" in texts[2]] == [True, True, True]
    assert tab.viewer.page_count == 3


def test_a_multi_page_tiff_shows_each_frame(jose, import_files, tmp_path):
    from PIL import Image

    frames = [Image.new("RGB", (300, 400), color) for color in ("white", "black", "white")]
    path = tmp_path / "acta.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:], compression="tiff_lzw")
    results = import_files(jose, [path])
    assert results[0][1] is True, results
    viewer = jose.record.documents.viewer
    assert viewer.page_count == 3
    assert dark_share(viewer.page_image()) < 0.05  # page 1 is white
    viewer.thumbnails.setCurrentIndex(viewer.pages.index(1, 0))
    assert viewer.page == 1 and dark_share(viewer.page_image()) > 0.95  # page 2 is black
    assert "Page 2 of 3" in viewer.page_label.text()
