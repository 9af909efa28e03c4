"""The Requests tab and the allegations' glance (issue 20), with real widgets over the demo vault:
each request's state and date, the allegation's requests at a glance in both languages, an edit
that changes them, and a letter drafted, previewed and saved as DOCX."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PySide6.QtCore import Qt

from ui import dialogs, ops
from ui.request_glance import REQUESTS


@pytest.fixture(autouse=True)
def _today():
    """The demo's dates are judged on a fixed day (the day this was written)."""
    REQUESTS.today = dt.date(2026, 12, 7)
    yield
    REQUESTS.today = None


def _column(model, header: str) -> int:
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return headers.index(header)


def _cells(model, header: str) -> list[str]:
    column = _column(model, header)
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_each_request_shows_its_state_and_the_allegation_its_requests_at_a_glance(
    unlocked, open_client, languages
):
    open_client(unlocked, "José")
    record = unlocked.record
    model = record.foia.model
    assert _cells(model, "To")[:2] == [
        "ICE — U.S. Immigration and Customs Enforcement",
        "CBP — U.S. Customs and Border Protection",
    ]
    assert _cells(model, "State") == ["Overdue", "Overdue", "Expiring"]
    assert _cells(model, "Answer due or valid until")[2] == "valid until Dec 10, 2026"
    assert set(_cells(model, "Allegation")) == {"Gang affiliation (MS-13)"}
    state = _column(model, "State")
    assert model.index(2, state).data(Qt.ItemDataRole.ForegroundRole) is not None  # marked, in words too
    glance = _cells(record.allegations.model, "Requests")[0]
    assert glance == "Overdue: 2 · Expiring: 1 · Not yet asked: USCIS, OBIM, EOIR"
    languages.set_language("es")
    assert _cells(model, "Estado") == ["Atrasada", "Atrasada", "Por vencer"]
    assert _cells(record.allegations.model, "Solicitudes")[0].startswith("Atrasada: 2 · Por vencer: 1")
    combo = record.foia.form.editors["certificate"].widget
    assert "El Salvador: Constancia (Certificación) de Antecedentes Penales" in [
        combo.itemText(i) for i in range(combo.count())
    ]


def test_an_answer_recorded_in_the_form_changes_the_glance(qtbot, unlocked, open_client):
    open_client(unlocked, "José")
    record = unlocked.record
    record.tabs.setCurrentIndex(4)
    record.foia.select(record.foia.model.record_at(1).id)  # the CBP request
    status = record.foia.form.editors["status"].widget
    status.setCurrentIndex(status.findData("received"))
    qtbot.waitUntil(lambda: not unlocked.session.has_pending, timeout=3000)
    assert _cells(record.foia.model, "State")[1] == "Answered"
    assert _cells(record.allegations.model, "Requests")[0].startswith(
        "Overdue: 1 · Expiring: 1 · Answered: 1"
    )


def test_a_letter_is_drafted_previewed_and_saved_as_docx(qtbot, unlocked, open_client, tmp_path):
    import docx

    client = open_client(unlocked, "José")
    record = unlocked.record
    record.tabs.setCurrentIndex(4)
    record.foia.table.clearSelection()
    record.foia.table.setCurrentIndex(record.foia.model.index(-1, -1))
    out = tmp_path / "uscis.docx"
    seen = {}

    def fill(dialog):
        assert dialog.allegation.currentText() == "Gang affiliation (MS-13)"  # his only allegation
        dialog.target.setCurrentIndex(dialog.target.findData("USCIS"))
        assert dialog.target.findData("CLEARANCE:GT") > dialog.target.findData("CLEARANCE:SV")  # home first
        assert dialog.signer.isVisibleTo(dialog) and not dialog.member.isVisibleTo(dialog)
        dialog.name.setText("Laura Ficticia Ortiz")

    def preview(export):
        assert export.wait_rendered()
        seen["pdf"] = export.pdf
        seen["language"] = export.language.currentData()
        dialogs.set_next_answer(str(out))
        dialogs.set_next_answer(True)  # the "saved" notice
        export.docx_button.click()
        qtbot.waitUntil(lambda: out.exists() and not ops.busy(), timeout=10000)

    dialogs.set_next_answer(fill)
    dialogs.set_next_answer(preview)
    record.foia.findChild(type(unlocked.requests.draft_button), "draftLetter").click()
    assert seen["pdf"][:5] == b"%PDF-" and seen["language"] == "en"  # a FOIA letter is in English
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(out.read_bytes())).paragraphs)
    assert "U.S. Citizenship and Immigration Services" in text and "Laura Ficticia Ortiz" in text
    assert (out.stat().st_mode & 0o777) == 0o600
    drafts = [
        r for r in unlocked.session.children(client.id, "foia_request") if r.data.get("agency") == "USCIS"
    ]
    assert len(drafts) == 1 and drafts[0].data["status"] == "draft"
    assert "USCIS" not in _cells(record.allegations.model, "Requests")[0].split("Not yet asked:")[-1]
    from desktop.requests.service import RequestService

    assert RequestService(unlocked.session.store).requester().name == "Laura Ficticia Ortiz"


def test_a_clearance_letter_names_the_relative_of_the_request_selected(qtbot, unlocked, open_client):
    open_client(unlocked, "José")
    record = unlocked.record
    record.tabs.setCurrentIndex(4)
    record.foia.select(record.foia.model.record_at(2).id)  # the DGCP certificate, asked by his mother
    seen = {}

    def check(dialog):
        assert dialog.target.currentData() == "CLEARANCE:SV"
        assert dialog.member.currentText() == "Marta Alicia Núñez Rivas (Parent)"
        assert not dialog.signer.isVisibleTo(dialog)

    def preview(export):
        assert export.wait_rendered()
        seen["language"] = export.language.currentData()
        seen["pages"] = export.page_count

    dialogs.set_next_answer(check)
    dialogs.set_next_answer(preview)
    unlocked.requests.draft_letter()
    assert seen == {"language": "es", "pages": 5}  # the authorization, two requests, two pages of facts


def test_the_records_header_warns_of_a_certificate_lapsing_before_the_hearing(qtbot, unlocked, open_client):
    client = open_client(unlocked, "José")
    subtitle = unlocked.record.subtitle
    # The FOIA answers are overdue: they come first.
    assert "Next: Overdue: FOIA answer · Jul 21, 2026" in subtitle.text()
    for request in unlocked.session.children(client.id, "foia_request"):
        if not request.data.get("certificate"):
            unlocked.session.edit(request.id, "status", "received")
    unlocked.session.flush()
    qtbot.waitUntil(lambda: "Clearance certificate expires · Dec 10, 2026" in subtitle.text(), timeout=3000)


def test_the_form_shows_the_fields_of_the_kind_of_request_selected(unlocked, open_client):
    open_client(unlocked, "José")
    section = unlocked.record.foia
    unlocked.record.tabs.setCurrentIndex(4)
    form = section.form
    section.select(section.model.record_at(0).id)  # ICE: a FOIA request
    assert form.editors["expedited"].widget.isVisibleTo(form)
    assert not form.editors["issued_on"].widget.isVisibleTo(form)
    section.select(section.model.record_at(2).id)  # the DGCP certificate
    assert form.editors["issued_on"].widget.isVisibleTo(form) and form.editors[
        "representative"
    ].widget.isVisibleTo(form)
    assert not form.editors["expedited"].widget.isVisibleTo(form)
    assert form.editors["certificate"].widget.isVisibleTo(form)  # always: it makes a request a certificate


def test_a_certificate_of_another_country_drafts_that_countrys_letters(qtbot, unlocked, open_client):
    client = open_client(unlocked, "José")
    session = unlocked.session
    guatemala = session.create(
        "foia_request", {"agency": "Organismo Judicial", "certificate": "GT-OJ-PENALES"}, client_id=client.id
    )
    record = unlocked.record
    record.tabs.setCurrentIndex(4)
    record.foia.select(guatemala.id)
    seen = {}

    def check(dialog):
        seen["target"] = dialog.target.currentData()

    def preview(export):
        assert export.wait_rendered()
        seen["pdf"] = export.pdf

    dialogs.set_next_answer(check)
    dialogs.set_next_answer(preview)
    unlocked.requests.draft_letter()
    assert seen["target"] == "CLEARANCE:GT"
    codes = {r.data.get("certificate") for r in session.children(client.id, "foia_request")}
    assert "GT-PNC-POLICIACOS" in codes and "SV-PNC-SOLVENCIA" not in codes  # Guatemala's, not his home's


def test_the_form_shows_a_requests_links_as_soon_as_the_client_opens(unlocked, open_client):
    open_client(unlocked, "Daniel")  # another client's choices first
    open_client(unlocked, "José")
    form = unlocked.record.foia.form
    unlocked.record.foia.select(unlocked.record.foia.model.record_at(2).id)
    assert form.editors["allegation"].widget.currentText() == "Gang affiliation (MS-13)"
    assert form.editors["representative"].widget.currentText() == "Marta Alicia Núñez Rivas (Parent)"


def test_locking_leaves_no_relative_or_allegation_in_the_requests_form(qtbot, unlocked, open_client):
    from desktop.case.deadlines import Deadline

    open_client(unlocked, "José")
    assert isinstance(unlocked.record.next_deadline, Deadline)
    unlocked.vault.lock(ask=False)
    qtbot.waitUntil(lambda: unlocked.session is None)
    form = unlocked.record.foia.form
    for path in ("allegation", "representative"):
        combo = form.editors[path].widget
        assert [combo.itemText(i) for i in range(combo.count())] == ["(not set)"]
    assert unlocked.record.next_deadline is None
