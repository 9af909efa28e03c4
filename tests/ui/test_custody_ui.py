"""The Custody tab (issue 22): José's custody record at a glance and as a list, an entry added and
edited (a bond amount typed "$7,500" is stored as 7500), the parole request previewed and saved as
DOCX, the bond packet refused with its reason when there is nothing to file. Real widgets, the
demo vault."""

from __future__ import annotations

import io

import docx

from ui import dialogs, ops


def _custody(unlocked, open_client):
    client = open_client(unlocked, "José")
    record = unlocked.record
    record.tabs.setCurrentWidget(record.custody)
    return client, record.custody


def test_the_custody_record_at_a_glance_and_as_a_list(unlocked, open_client, languages):
    _client, tab = _custody(unlocked, open_client)
    summary = tab.summary_label.text()
    assert "Detained" in summary and "since June 9, 2026" in summary
    assert "INA § 235(b)(2)(A): applicant for admission" in summary
    assert "Next custody deadline: December 15, 2026" in summary
    assert (
        tab.stays_label.text()
        == "Where: June 9, 2026: Stewart Detention Center, Lumpkin, GA (Atlanta Field Office)"
    )
    assert tab.section.model.rowCount() == 8
    languages.set_language("es")
    assert "Detenido" in tab.summary_label.text() and "solicitante de admisión" in tab.summary_label.text()
    assert tab.buttons["bond"].text() == "Paquete de &fianza…"


def test_an_entry_added_and_its_bond_amount_stored_as_a_number(qtbot, unlocked, open_client):
    client, tab = _custody(unlocked, open_client)
    tab.section.add_button.click()
    qtbot.waitUntil(lambda: tab.section.model.rowCount() == 9, timeout=3000)
    form = tab.section.form
    form.editors["kind"].widget.setCurrentIndex(form.editors["kind"].widget.findData("bond_hearing"))
    amount = form.editors["amount_set"].widget
    amount.setText("$7,500")
    amount.editingFinished.emit()
    amount.textEdited.emit(amount.text())
    qtbot.waitUntil(lambda: not unlocked.session.has_pending, timeout=3000)
    added = [r for r in unlocked.session.children(client.id, "custody_event") if r.data.get("amount_set")]
    assert len(added) == 1 and added[0].data["amount_set"] == 7500 and added[0].data["kind"] == "bond_hearing"


def test_the_parole_request_previewed_and_saved_as_docx(qtbot, unlocked, open_client, tmp_path):
    _client, tab = _custody(unlocked, open_client)
    out = tmp_path / "parole.docx"
    seen = {}

    def preview(export):
        assert export.wait_rendered()
        seen["pdf"] = export.pdf
        dialogs.set_next_answer(str(out))
        dialogs.set_next_answer(True)  # the "saved" notice
        export.docx_button.click()
        qtbot.waitUntil(lambda: out.exists() and not ops.busy(), timeout=10000)

    dialogs.set_next_answer(preview)
    tab.buttons["parole"].click()
    assert seen["pdf"][:5] == b"%PDF-"
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(out.read_bytes())).paragraphs)
    assert "Request for parole: José Ángel Martínez Núñez" in text and "Source:" in text
    assert "ERO Atlanta Field Office" in text  # the field office of Stewart Detention Center


def test_the_bond_packet_says_why_it_cannot_be_made(unlocked, open_client):
    client, tab = _custody(unlocked, open_client)
    dialogs.set_next_answer(True)  # the error's OK
    tab.buttons["bond"].click()
    kind, text = dialogs.shown[-1]
    assert kind == "error" and "nothing to file yet" in text  # the demo's case files carry no documents
    assert unlocked.session.children(client.id, "packet") == []  # and no packet was made


def test_the_next_custody_deadline_is_set_in_the_identity_tab(qtbot, unlocked, open_client):
    client, tab = _custody(unlocked, open_client)
    identity = unlocked.record.identity
    field = identity.editors["custody.next_deadline.what"].widget
    field.setText("Parole decision expected")
    field.textEdited.emit(field.text())
    qtbot.waitUntil(lambda: not unlocked.session.has_pending, timeout=3000)
    stored = unlocked.session.get(client.id).data["custody"]["next_deadline"]
    assert stored == {"date": "2026-12-15", "what": "Parole decision expected"}
    qtbot.waitUntil(lambda: "Parole decision expected" in tab.summary_label.text(), timeout=3000)


def test_what_parole_and_bond_weigh_each_with_its_source_and_the_gaps(unlocked, open_client, languages):
    _client, tab = _custody(unlocked, open_client)
    text = tab.weighed_label.text()
    assert "Rosa Elena Martínez Ortiz, 1200 Example Avenue" in text  # the sponsor, from the family
    assert "Appearance kept" in text and "(Interview)" in text  # the check-in attended, and its source
    for gap in ("no identity document in the record", "no letter of support linked"):
        assert gap in text, gap  # the demo's case file carries no documents: said as missing
    languages.set_language("es")
    assert "ningún documento de identidad" in tab.weighed_label.text()
    assert tab.weighed_title.text() == "Lo que pesan el parole y la fianza"


def test_the_tab_reads_the_record_again_only_when_it_is_shown(qtbot, unlocked, open_client):
    client, tab = _custody(unlocked, open_client)
    record = unlocked.record
    record.tabs.setCurrentIndex(0)  # the Identity tab: its edits are saved while typing
    field = record.identity.editors["custody.next_deadline.what"].widget
    field.setText("Custody review requested")
    field.textEdited.emit(field.text())
    qtbot.waitUntil(lambda: not unlocked.session.has_pending, timeout=3000)
    assert "Custody review requested" not in tab.summary_label.text()  # not read while hidden
    record.tabs.setCurrentWidget(tab)
    assert "Custody review requested" in tab.summary_label.text()  # read when shown
