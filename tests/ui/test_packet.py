"""The Packet tab: the tab and its prefilled fields, the default exhibits, reordering by keyboard,
what blocks building, building with the preview from memory, saving the parts (0600), a filed
packet kept as filed, the language switch. Real widgets over the demo vault; the documents are
fictional, made here with reportlab."""

from __future__ import annotations

import stat

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui.pages import dark_share, make_pdf
from ui import dialogs, ops

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
OPLA = "DHS/ICE Office of the Principal Legal Advisor, 1 Example Plaza, Lumpkin, GA 31815"


def add_document(window, title: str, language: str, *, link: bool = False):
    """A fictional document of the open client, stored as the Documents tab stores one."""
    session, client = window.session, window.record.client
    service = window.documents.service
    record = service.add(
        client.id,
        make_pdf([title, "Page two"], size=24),
        filename=f"{title}.pdf",
        language=language,
        title=title,
    )
    if link:
        allegation = session.children(client.id, "allegation")[0]
        record = service.link(record.id, allegation=allegation.id)
    session.records_changed.emit(client.id, "document")
    return record


def type_into(edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    QTest.keyClicks(edit, text)
    QTest.keyClick(edit, Qt.Key.Key_Return)


def stored(window):
    packets = window.packet.service.packets(window.record.client.id)
    return packets


@pytest.fixture
def jose_packet(unlocked, open_client):
    """José's record on the Packet tab (reached with Ctrl+0)."""
    open_client(unlocked, "José")
    QTest.keyClick(unlocked.record, Qt.Key.Key_0, CTRL)
    return unlocked


def test_ctrl_0_opens_the_tab_prefilled_from_the_proceedings(jose_packet):
    window = jose_packet
    tab = window.record.packet
    assert window.record.tabs.currentWidget() is tab
    proceedings = window.record.client.data["proceedings"]
    assert proceedings.get("court")  # the demo client has a court: it is offered
    assert tab.fields["court"].text() == proceedings["court"]
    assert tab.fields["title"].text()
    assert not tab.build_button.isEnabled()  # no exhibits yet
    assert stored(window) == []  # nothing stored until something changes


def test_default_exhibits_fill_the_list_and_are_stored(jose_packet):
    window = jose_packet
    i213 = add_document(window, "Form I-213", "en", link=True)
    add_document(window, "Photo of the market stall", "en")  # linked to nothing: not a default
    tab = window.record.packet
    tab.default_button.click()
    sources = [row.source for row in tab.model.rows()]
    assert sources == ["timeline", f"document:{i213.id}"]
    assert [tab.model.index(r, 0).data() for r in range(2)] == ["A", "B"]
    assert tab.model.index(1, 2).data() == "Form I-213"
    (packet,) = stored(window)
    assert [e["source"] for e in packet.data["exhibits"]] == sources


def test_alt_up_moves_an_exhibit_and_the_stored_order_follows(jose_packet):
    window = jose_packet
    i213 = add_document(window, "Form I-213", "en", link=True)
    tab = window.record.packet
    tab.default_button.click()
    tab.table.setFocus()
    tab.select_row(1)
    QTest.keyClick(tab.table, Qt.Key.Key_Up, ALT)
    assert [row.source for row in tab.model.rows()] == [f"document:{i213.id}", "timeline"]
    assert tab.current_row() == 0  # the moved exhibit stays selected
    (packet,) = stored(window)
    assert [e["source"] for e in packet.data["exhibits"]] == [f"document:{i213.id}", "timeline"]
    QTest.keyClick(tab.table, Qt.Key.Key_Down, ALT)
    assert [e["source"] for e in stored(window)[0].data["exhibits"]] == ["timeline", f"document:{i213.id}"]


def test_a_missing_translation_is_named_and_build_is_off(jose_packet):
    window = jose_packet
    tab = window.record.packet
    type_into(tab.fields["service.address"], OPLA)
    solvencia = add_document(window, "Constancia de antecedentes", "es")

    def tick(dialog):
        dialog.check(f"document:{solvencia.id}")

    dialogs.set_next_answer(tick)
    tab.add_button.click()
    assert [row.source for row in tab.model.rows()] == [f"document:{solvencia.id}"]
    assert tab.model.index(0, 3).data().startswith("Constancia de antecedentes")  # its index line
    assert tab.model.index(0, 5).data() == "missing"
    assert tab.problems.isVisible()
    assert "Exhibit A" in tab.problems.text() and "translation" in tab.problems.text()
    assert not tab.build_button.isEnabled()


def test_build_previews_page_one_and_save_writes_private_files(jose_packet, qtbot, tmp_path):
    window = jose_packet
    tab = window.record.packet
    add_document(window, "Form I-213", "en", link=True)
    type_into(tab.fields["service.address"], OPLA)
    type_into(tab.fields["service.attorney"], "Ana Ejemplo")
    tab.default_button.click()
    assert tab.problems.text() == "" and tab.build_button.isEnabled()
    assert not tab.save_button.isEnabled()  # nothing built yet
    tab.build_button.click()
    qtbot.waitUntil(lambda: not ops.busy() and tab.save_button.isEnabled(), timeout=60000)
    built = window.packet.built
    assert tab.preview.count == built.pages > 2
    image = tab.preview.page_image(0)
    assert image is not None and image.height() > image.width()
    # the cover page is drawn: not blank, not black
    assert 0.002 < dark_share(image, step=3, threshold=128) < 0.5
    assert tab.preview.index_list.count() == 2  # the timeline and the I-213
    assert tab.preview.check_label.text().startswith("✓")
    folder = tmp_path / "out"
    folder.mkdir()
    dialogs.set_next_answer(str(folder))
    dialogs.set_next_answer(True)  # the notice
    tab.save_button.click()
    written = sorted(folder.iterdir())
    assert written and written == sorted(window.packet.saved_paths)
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert written[0].read_bytes()[:5] == b"%PDF-"
    assert "not encrypted" in dialogs.shown[-1][1]


def test_a_filed_packet_is_kept_and_a_change_makes_a_new_version(jose_packet):
    window = jose_packet
    tab = window.record.packet
    tab.default_button.click()
    old_title = tab.fields["title"].text()

    def on(dialog):
        dialog.day.setText("2026-12-10")

    dialogs.set_next_answer(on)
    tab.filed_button.click()
    (packet,) = stored(window)
    assert packet.data["filed_on"] == "2026-12-10"
    assert tab.filed_banner.isVisible() and "2026-12-10" in tab.filed_banner.text()
    assert (
        not tab.up_button.isEnabled()
        and not tab.model.flags(tab.model.index(0, 3)) & Qt.ItemFlag.ItemIsEditable
    )

    dialogs.set_next_answer(False)  # no new version: nothing changes
    type_into(tab.fields["title"], "Amended evidence")
    assert [p.data["title"] for p in stored(window)] == [old_title]
    assert tab.fields["title"].text() == old_title  # the field shows the filed packet again

    dialogs.set_next_answer(True)
    type_into(tab.fields["title"], "Amended evidence")
    first, second = stored(window)
    assert first.data["title"] == old_title and first.data["filed_on"] == "2026-12-10"
    assert second.data["title"] == "Amended evidence" and second.data["filed_on"] is None
    assert not tab.filed_banner.isVisible() and tab.model.editable


def test_f12_retranslates_and_keeps_the_list_and_the_fields(jose_packet, languages):
    window = jose_packet
    tab = window.record.packet
    tab.default_button.click()
    type_into(tab.fields["hearing.judge"], "Hon. Marta Ejemplo")
    rows = [row.source for row in tab.model.rows()]
    header = tab.model.headerData(4, Qt.Orientation.Horizontal)
    languages.set_language("es")
    assert tab.model.headerData(4, Qt.Orientation.Horizontal) == "Páginas" != header
    assert [row.source for row in tab.model.rows()] == rows
    assert tab.fields["hearing.judge"].text() == "Hon. Marta Ejemplo"
    assert window.record.tabs.currentWidget() is tab
    languages.set_language("en")
    assert tab.model.headerData(4, Qt.Orientation.Horizontal) == header == "Pages"


def test_dragging_a_row_to_the_top_stores_the_new_order(jose_packet):
    window = jose_packet
    i213 = add_document(window, "Form I-213", "en", link=True)
    tab = window.record.packet
    tab.default_button.click()
    model = tab.model
    mime = model.mimeData([model.index(1, 0)])
    model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, model.index(-1, -1))
    assert [e["source"] for e in stored(window)[0].data["exhibits"]] == [f"document:{i213.id}", "timeline"]
    assert model.index(0, 0).data() == "A" and model.index(0, 2).data() == "Form I-213"


def test_a_failed_check_is_shown_and_nothing_can_be_saved(jose_packet, qtbot, monkeypatch):
    from desktop.filing import check, packet

    def refuse(built, *, limit_bytes):
        raise check.PacketCheckFailed("Page {page} does not carry its number.", page=4)

    monkeypatch.setattr(packet, "check_packet", refuse)  # the check the service runs after building
    window = jose_packet
    tab = window.record.packet
    type_into(tab.fields["service.address"], OPLA)
    tab.default_button.click()
    tab.build_button.click()
    qtbot.waitUntil(lambda: not ops.busy() and tab.build_button.isEnabled(), timeout=60000)
    assert tab.preview.check_label.text() == "✗ Page 4 does not carry its number."
    assert window.packet.built is None and not tab.save_button.isEnabled()
    assert tab.preview.count == 0  # nothing to preview or save


def test_the_tab_mnemonics_clash_with_no_menu_and_no_other_tab(jose_packet):
    import re

    window = jose_packet
    tab = window.record.packet
    from PySide6.QtWidgets import QLabel, QPushButton

    others = [window.record.tabs.tabText(i) for i in range(window.record.tabs.count())]
    others.remove(window.record.tabs.tabText(window.packet.section_index()))
    others += [action.text() for action in window.menuBar().actions()]
    ours = [w.text() for w in tab.findChildren(QLabel) if w.buddy() is not None]
    ours += [w.text() for w in tab.findChildren(QPushButton)]
    ours.append(window.record.tabs.tabText(window.packet.section_index()))

    def keys(texts):
        return [m.group(1).lower() for text in texts for m in [re.search(r"&([^&\s])", text)] if m]

    mine = keys(ours)
    assert len(mine) >= 10
    assert len(mine) == len(set(mine)), mine  # none twice on the tab
    assert not set(mine) & set(keys(others)), set(mine) & set(keys(others))


def test_typing_on_a_selected_exhibit_edits_its_description(jose_packet, qtbot):
    window = jose_packet
    tab = window.record.packet
    tab.default_button.click()
    tab.table.setFocus()
    tab.select_row(0)
    before = stored(window)[0].data["exhibits"][0]["description"]
    assert before != "Timeline"
    QTest.keyClicks(tab.table, "T")  # the first key opens the editor with it
    editor = QApplication.focusWidget()
    assert editor is not tab.table and editor.text() == "T"
    QTest.keyClicks(editor, "imeline")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(window)[0].data["exhibits"][0]["description"] != before)
    assert stored(window)[0].data["exhibits"][0]["description"] == "Timeline"
    assert tab.model.index(0, 3).data() == "Timeline"
