"""Rebuttal items, FOIA requests and the chronology show the documents that prove them: a document
linked in the Documents tab appears, by its title, in the "Documents" column of the item it is
linked to, and an event whose source is a document names it (and its page). Real widgets over the
demo vault."""

from __future__ import annotations

from PySide6.QtCore import Qt

from bench.scans import line_pdf
from desktop.evidence.service import DocumentService


def _column(model, header: str) -> int:
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return headers.index(header)


def test_rebuttal_items_foia_requests_and_events_show_their_documents(qtbot, unlocked, open_client):
    client = open_client(unlocked, "José")
    session = unlocked.session
    service = DocumentService(session.store)
    allegation = session.children(client.id, "allegation")[0]
    rebuttal = session.children(client.id, "rebuttal", allegation.id)[0]
    foia = session.store.create(
        "foia_request", {"agency": "CBP", "subject": "Border records"}, client_id=client.id
    )
    clearance = service.add(
        client.id, line_pdf("Solvencia"), filename="solvencia.pdf", title="Solvencia PNC 2026"
    )
    response = service.add(
        client.id, line_pdf("FOIA response"), filename="cbp.pdf", title="CBP FOIA response"
    )
    service.link(clearance.id, allegation=allegation.id, rebuttal=rebuttal.id)
    service.link(response.id, foia_request=foia.id)
    event = session.children(client.id, "event")[0]
    session.store.update(event.id, {**event.data, "sources": [f"document:{clearance.id}#p1"]})
    unlocked.clients.open_client(client.id)  # the record reloads, as after any change

    unlocked.record.tabs.setCurrentIndex(3)
    unlocked.record.allegations.table.selectRow(0)
    items = unlocked.record.rebuttal.model
    column = _column(items, "Documents")
    texts = {items.index(r, column).data() for r in range(items.rowCount())}
    assert "Solvencia PNC 2026" in texts and "" in texts  # the linked item names it, the others not

    foias = unlocked.record.foia.model
    column = _column(foias, "Documents")
    row = foias.row_of(foia.id)
    assert foias.index(row, column).data() == "CBP FOIA response"

    from ui.specs import sources_text

    assert sources_text(session.get(event.id)) == "Solvencia PNC 2026, p. 1"  # never the id
    assert clearance.id not in sources_text(session.get(event.id))


def test_exporting_a_client_with_documents_writes_them_in_a_version_2_case_file(
    qtbot, unlocked, open_client, tmp_path
):
    import zipfile

    from PySide6.QtTest import QTest

    from ui import dialogs, ops

    client = open_client(unlocked, "Daniel")
    pdf = line_pdf("Constancia")
    DocumentService(unlocked.session.store).add(client.id, pdf, filename="constancia.pdf")
    out = tmp_path / "daniel.declara-case.zip"
    dialogs.set_next_answer(out)
    dialogs.set_next_answer(True)  # the "exported" notice
    QTest.keyClick(unlocked, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not ops.busy() and out.exists())
    import hashlib

    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert "case.json" in names
        assert f"documents/{hashlib.sha256(pdf).hexdigest()}" in names
        assert zf.read(f"documents/{hashlib.sha256(pdf).hexdigest()}") == pdf
    assert (out.stat().st_mode & 0o777) == 0o600
