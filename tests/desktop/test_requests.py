"""Requests for the records behind an allegation (issue 20): the data tables and their sources, where
each request stands, certificate expiry in the deadlines, the letters (read back from the PDFs and
DOCX), the drafts recorded, and the links kept through case files."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest

from desktop.case.casefile import export_case, import_case, read_case_file
from desktop.case.deadlines import client_deadlines
from desktop.errors import ValidationError
from desktop.paths import resource_path
from desktop.requests import tables, tracking
from desktop.requests.letters import Requester
from desktop.requests.render import letter_docx, letter_pdf
from desktop.requests.service import RequestService

D = dt.date.fromisoformat
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TODAY = D("2026-12-07")


# -- the data tables ------------------------------------------------------------------------------
def test_every_fact_has_a_source_a_checked_date_and_a_status():
    facts = tables.all_facts()
    assert len(facts) > 100
    for where, fact in facts:
        assert fact.source.strip(), where
        assert D("2026-01-01") <= fact.checked_on <= dt.date.today(), where
        if isinstance(fact.value, dict) and set(fact.value) == {"en", "es"}:
            assert fact.value["en"] and fact.value["es"], where  # both languages, or none
    # A fact no source confirmed is marked so, and says why.
    unconfirmed = [(w, f) for w, f in facts if not f.confirmed]
    assert unconfirmed and all(f.note for _w, f in unconfirmed)


def test_the_agencies_and_the_countries_the_issue_names_are_there():
    assert list(tables.agencies()) == ["CBP", "ICE", "USCIS", "OBIM", "FBI", "EOIR", "DOS"]
    countries = tables.countries()
    assert {"SV", "HN", "GT"} <= set(countries)
    # Guatemala's police and court certificates are two different documents, from two issuers.
    gt = countries["GT"].certificates
    assert len(gt) == 2 and gt[0].facts["issuer"].text("es") != gt[1].facts["issuer"].text("es")
    # El Salvador's criminal-record certificate is valid 30 days (DGCP, transparencia.gob.sv).
    assert tables.certificate("SV-DGCP-ANTECEDENTES").validity_days == 30


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ('source = "https://www.cbp.gov/site-policy-notices/foia/records"', 'source = ""'),
        ('status = "confirmed"', 'status = "probably"'),
        ('checked_on = "2026-12-07"', 'checked_on = "yesterday"'),
    ],
)
def test_a_damaged_table_is_refused_naming_the_fact(tmp_path, monkeypatch, change, problem):
    from desktop import paths

    folder = tmp_path / "resources" / "requests"
    folder.mkdir(parents=True)
    text = resource_path("requests", "agencies.toml").read_text(encoding="utf-8")
    assert change in text
    (folder / "agencies.toml").write_text(text.replace(change, problem, 1), encoding="utf-8")
    monkeypatch.setattr(paths, "project_root", lambda: tmp_path)
    tables.agencies.cache_clear()
    try:
        with pytest.raises(ValidationError) as caught:
            tables.agencies()
        assert "agencies.toml" in caught.value.message() and "agency[0]" in caught.value.message()
    finally:
        tables.agencies.cache_clear()


def test_an_oversized_table_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    from desktop import paths

    folder = tmp_path / "resources" / "requests"
    folder.mkdir(parents=True)
    (folder / "clearances.toml").write_text("#" * (tables.MAX_TABLE_BYTES + 1))
    monkeypatch.setattr(paths, "project_root", lambda: tmp_path)
    tables.countries.cache_clear()
    try:
        with pytest.raises(ValidationError, match="too large"):
            tables.countries()
    finally:
        tables.countries.cache_clear()


# -- where a request stands ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "state"),
    [
        ({"agency": "CBP", "status": "draft"}, "draft"),
        ({"agency": "CBP"}, "draft"),
        ({"agency": "CBP", "sent_on": "2026-11-30", "status": "pending"}, "pending"),
        ({"agency": "CBP", "sent_on": "2026-06-22", "status": "pending"}, "overdue"),
        ({"agency": "CBP", "sent_on": "2026-06-22", "status": "received"}, "answered"),
        ({"agency": "CBP", "sent_on": "2026-06-22", "received_on": "2026-08-01"}, "answered"),
        ({"agency": "CBP", "sent_on": "2026-06-22", "status": "appealed"}, "appealed"),
    ],
)
def test_a_foia_request_is_judged_by_its_dates(data, state):
    assert tracking.request_state("r", data, TODAY).state == state


def test_an_answered_request_keeps_its_due_date_and_a_typed_agency_is_read_as_its_code():
    result = tracking.request_state("r", {"agency": "State Department", "sent_on": "2026-06-22"}, TODAY)
    assert result.to == "DOS" and result.state == "overdue"
    assert result.due == D("2026-07-21")  # 20 working days, July 3 (Independence Day observed) skipped
    answered = tracking.request_state(
        "r", {"agency": "ICE", "sent_on": "2026-06-22", "status": "received"}, TODAY
    )
    assert answered.due == D("2026-07-21") and answered.state == "answered"


def _certificate(issued_on: str | None, **more: str) -> dict[str, str | None]:
    return {"agency": "DGCP", "certificate": "SV-DGCP-ANTECEDENTES", "issued_on": issued_on, **more}


@pytest.mark.parametrize(
    ("issued_on", "hearing", "state", "expires"),
    [
        ("2026-11-10", D("2027-03-01"), "expiring", "2026-12-10"),  # within 30 days of today
        ("2026-11-30", D("2026-12-15"), "expiring", "2026-12-30"),  # lapses before the hearing
        ("2026-11-30", D("2027-03-01"), "expiring", "2026-12-30"),  # 23 days left: warned
        ("2026-10-01", None, "expired", "2026-10-31"),
    ],
)
def test_a_certificate_expires_its_countrys_validity_after_its_issue(issued_on, hearing, state, expires):
    result = tracking.request_state("c", _certificate(issued_on), TODAY, hearing)
    assert result.clearance and result.state == state and result.expires == D(expires)


def test_a_valid_certificate_far_from_its_end_and_after_the_hearing_is_valid():
    honduras = {"agency": "DPI", "certificate": "HN-DPI-POLICIALES", "issued_on": "2026-11-20"}
    result = tracking.request_state("c", honduras, TODAY, D("2026-12-15"))
    assert result.state == "valid" and result.expires == D("2026-11-20") + dt.timedelta(days=180)


def test_an_imprecise_issue_date_counts_from_its_earliest_day():
    result = tracking.request_state("c", _certificate("2026-11"), D("2026-11-20"))
    assert result.expires == D("2026-12-01") and result.expires_approximate  # never later than it may be
    assert result.state == "expiring"
    assert tracking.request_state("c", _certificate("2026-11"), TODAY).state == "expired"


def test_a_certificate_without_a_confirmed_validity_is_answered_and_says_so():
    solvencia = {"agency": "PNC", "certificate": "SV-PNC-SOLVENCIA", "issued_on": "2026-11-20"}
    assert tables.certificate("SV-PNC-SOLVENCIA").validity_days is None  # no source says how long
    result = tracking.request_state("c", solvencia, TODAY)
    assert result.state == "answered" and result.validity_unknown and result.expires is None
    asked = tracking.request_state("c", {**_certificate(None), "sent_on": "2026-11-01"}, TODAY)
    assert asked.state == "pending"


def test_the_client_deadlines_warn_when_a_certificate_lapses_before_the_hearing():
    proceedings = {"next_hearing": "2027-01-12"}
    old = _certificate("2026-09-01")
    new = _certificate("2026-11-20")
    items = client_deadlines(proceedings, [old, new], TODAY)
    certificates = [i for i in items if i.kind == "certificate"]
    # Only the latest certificate of a kind counts: the lapsed one was replaced.
    assert [(i.due, i.overdue) for i in certificates] == [(D("2026-12-20"), False)]
    assert certificates[0].label_msgid == "Clearance certificate expires"
    # One that lasts past the hearing is no deadline.
    assert not [
        i
        for i in client_deadlines({"next_hearing": "2026-12-15"}, [_certificate("2026-12-01")], TODAY)
        if i.kind == "certificate"
    ]


# -- what an allegation calls for -----------------------------------------------------------------------
def test_a_gang_allegation_from_a_foreign_police_record_calls_for_the_border_records_and_a_clearance():
    client = {"country_of_birth": "SV", "proceedings": {"court": "Stewart Immigration Court"}}
    allegation = {"kind": "gang_affiliation", "source_agency": "CBP", "source_program": "foreign_police"}
    assert tracking.called_for(client, allegation) == [
        ("CBP", None), ("ICE", None), ("USCIS", None), ("OBIM", None), ("EOIR", None), ("CLEARANCE", "SV")
    ]  # fmt: skip
    criminal = tracking.called_for({"nationalities": ["CO", "GT"]}, {"kind": "criminal_history"})
    assert ("FBI", None) in criminal and ("CLEARANCE", "GT") in criminal and ("EOIR", None) not in criminal
    assert not [t for t in tracking.called_for({"country_of_birth": "CO"}, allegation) if t[0] == "CLEARANCE"]


# -- the demo client of the issue, drafted end to end ------------------------------------------------------
@pytest.fixture
def jose(store):
    """José (the demo case file) with his allegation as the issue's: a CBP gang allegation sourced
    from a foreign police record."""
    doc = read_case_file(resource_path("examples", "case-jose.json"))
    doc["allegations"][0]["source_agency"] = "CBP"
    doc["allegations"][0]["source_program"] = "foreign_police"
    client_id = import_case(store, doc)
    service = RequestService(store)
    service.set_requester(
        Requester(
            name="Laura Ficticia Ortiz",
            organization="Example Immigrant Defense Project",
            address=("100 Example Street, Suite 5", "Atlanta, GA 30303"),
            phone="(404) 555-0100",
            email="intake@example.org",
        )
    )
    return service, client_id


def _text(pdf, tmp_path: Path, data: bytes, name: str) -> str:
    path = pdf.write(tmp_path, data, name)
    return " ".join(pdf.layout_text(path).replace("\u00a0", " ").split())


def _fonts_embedded(pdf, tmp_path: Path, data: bytes) -> bool:
    rows = pdf.run("pdffonts", pdf.write(tmp_path, data, "fonts.pdf")).splitlines()[2:]
    return bool(rows) and all(row.split()[-5] == "yes" for row in rows)


@pytest.mark.parametrize(
    ("to", "address_line", "records_line"),
    [
        ("CBP", "Washington, DC 20229", "Form I-213"),
        ("ICE", "500 12th Street SW, Stop 5009", "Detention file"),
        ("USCIS", "Lee's Summit, MO", "A-file"),
        ("OBIM", "Office of Biometric Identity Management", "IDENT"),
    ],
)
def test_the_foia_letters_are_filled_from_the_record(jose, pdf, tmp_path, to, address_line, records_line):
    service, client_id = jose
    letter, data = service.draft(client_id, to, today=TODAY)
    text = _text(pdf, tmp_path, data, f"{to}.pdf")
    for expected in (
        "Laura Ficticia Ortiz",
        "December 7, 2026",
        address_line,
        records_line,
        "José Ángel Martínez Núñez",
        "A 205-555-041",
        "February 27, 1992",  # the date of birth, at its precision
        "El Salvador",
        "EXPEDITED PROCESSING REQUESTED",  # he is detained
        "Stewart Detention Center",
        "5 U.S.C. § 552(a)(6)(E)(vi)",  # the certified statement of compelling need
        "28 U.S.C. § 1746",
        "Verification of identity and consent",
        "Interpreter's certificate",  # he speaks Spanish
        "Policía Nacional Civil of El Salvador",  # DHS's own words about the allegation, quoted
    ):
        assert expected in text, (to, expected)
    if to in ("CBP", "ICE"):
        assert "July 16, 2024, Hidalgo, Texas" in text  # the border encounter of the chronology
    assert not UUID.search(text) and "al-1" not in text and "foia-" not in text  # no internal id
    assert _fonts_embedded(pdf, tmp_path, data)
    # The record and the requester fill every blank but what only the client can say on the page he
    # signs (he has no other names on record) and, for OBIM, an address no source confirmed.
    expected = ["[other names used, or “none”]"]
    if to == "OBIM":
        expected.insert(0, "[Address not confirmed by a source: check it before sending]")
    assert letter.blanks == expected


def test_the_clearance_request_to_the_clients_country_is_in_spanish_with_the_relative_chosen(
    jose, pdf, tmp_path
):
    service, client_id = jose
    letter, data = service.draft(client_id, "CLEARANCE", representative="fam-marta", today=TODAY)
    text = _text(pdf, tmp_path, data, "clearance.pdf")
    for expected in (
        "Autorización para tramitar constancias de antecedentes",
        "Yo, José Ángel Martínez Núñez, nacido el 27 de febrero de 1992 en El Salvador",
        "Documento Único de Identidad (DUI) [número de DUI]",
        "autorizo a Marta Alicia Núñez Rivas, mi madre/padre",
        "Solvencia Policial",
        "Dirección General de Centros Penales",
        "Stewart Detention Center, 146 CCA Road, Lumpkin, GA 31815",  # from the ICE facility list
        "A 205-555-041",
        "Para el trámite (no forma parte de la carta)",
        "30 días desde su emisión",
        "transparencia.gob.sv",  # each fact with its source
    ):
        assert expected in text, expected
    assert "[número de DUI]" in letter.blanks  # the record has no DUI number: left for the attorney
    assert not UUID.search(text) and "fam-marta" not in text
    assert _fonts_embedded(pdf, tmp_path, data)


def test_drafting_records_each_request_once_linked_to_its_allegation(jose):
    service, client_id = jose
    before = {r.id for r in service.requests(client_id)}
    service.draft(client_id, "USCIS", today=TODAY)
    service.draft(client_id, "USCIS", today=TODAY)  # a second draft of the same letter
    service.draft(client_id, "CLEARANCE", today=TODAY)
    new = [r for r in service.requests(client_id) if r.id not in before]
    allegation = service.allegation(client_id, "al-1")
    assert sorted((r.data.get("certificate") or r.data["agency"]) for r in new) == [
        "SV-PNC-SOLVENCIA",  # the DGCP certificate is recorded already (the demo file)
        "USCIS",
    ]
    assert all(r.data["allegation"] == allegation.id and r.data["status"] == "draft" for r in new)
    uscis = next(r for r in new if r.data["agency"] == "USCIS")
    assert uscis.data["expedited"] == "requested"  # detained
    overview = service.overview(client_id, TODAY)[0]
    states = {s.to: [r.state for r in s.requests] for s in overview.suggestions}
    assert states["USCIS"] == ["draft"] and states["CBP"] == ["overdue"]
    assert sorted(states["CLEARANCE"]) == ["draft", "expiring"]  # DGCP lapses December 10, before the hearing
    assert dict(overview.glance)["expiring"] == 1


def test_a_letter_keeps_each_dates_precision_in_both_languages(store):
    client_id = import_case(
        store,
        {
            "format": "declara-case",
            "version": 1,
            "client": {"given_names": "Ana", "family_names": "Fictitia", "date_of_birth": "1990-03~"},
        },
    )
    service = RequestService(store)
    english = service.letter(client_id, "ICE", today=TODAY).text()
    spanish = service.letter(client_id, "ICE", lang="es", today=TODAY).text()
    assert "around March 1990" in english and "alrededor de marzo de 1990" in spanish
    assert "Copia en español para la persona interesada" in spanish
    letter = service.letter(client_id, "CBP", today=TODAY)
    assert letter.blanks == [
        "[Requester's name]",
        "[Requester's address, telephone and email]",
        "[A-number]",
        "[country of birth]",
        "[nationality]",
        "[other names used, or “none”]",  # for the client to answer, on the page the client signs
        "[current address]",
    ]
    assert "EXPEDITED" not in letter.text()  # not detained: no expedited processing asked


def test_the_fbi_letter_is_an_identity_history_summary_request(jose):
    service, client_id = jose
    text = service.letter(client_id, "FBI", today=TODAY).text()
    assert "28 C.F.R. §§ 16.30–16.34" in text and "Identity History Summary" in text
    assert "Freedom of Information Act" not in text.split("Verification")[0]


def test_the_docx_says_the_same_in_its_language(jose):
    import docx

    service, client_id = jose
    letter, data = service.draft(client_id, "ICE", "docx", lang="es", today=TODAY, record=False)
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Represento a José Ángel Martínez Núñez" in text and "27 de febrero de 1992" in text
    assert "Servicio de Inmigración y Control de Aduanas" in text
    assert document.core_properties.language == "es" and not UUID.search(text)
    assert letter_pdf(letter)[:5] == b"%PDF-" and letter_docx(letter)[:2] == b"PK"


def test_certificates_of_another_country_are_drafted_for_it_and_never_mixed(jose):
    service, client_id = jose
    letter = service.letter(client_id, "CLEARANCE", certificates=["GT-OJ-PENALES"], today=TODAY)
    assert "Organismo Judicial" in letter.text() and "[número de DPI]" in letter.blanks
    with pytest.raises(ValidationError, match="GT-OJ-PENALES is not a certificate of SV"):
        service.letter(client_id, "CLEARANCE", certificates=["SV-PNC-SOLVENCIA", "GT-OJ-PENALES"])


def _client(store, **client) -> str:
    return import_case(
        store, {"format": "declara-case", "version": 1, "client": {"given_names": "Ana", **client}}
    )


def test_a_client_no_longer_detained_signs_no_detention_and_no_facility_address(store):
    client_id = _client(
        store,
        family_names="Fictitia",
        gender="female",
        country_of_birth="SV",
        custody={"status": "released", "facility": "Stewart Detention Center, Lumpkin, GA"},
    )
    service = RequestService(store)
    clearance = service.letter(client_id, "CLEARANCE", today=TODAY).text()
    assert "detenida" not in clearance and "Stewart" not in clearance
    assert (
        "con domicilio actual en [dirección actual]" in clearance
        and "porque vivo fuera de El Salvador" in clearance
    )
    foia = service.letter(client_id, "ICE", today=TODAY).text()
    assert "Current address: [current address]" in foia and "EXPEDITED" not in foia


def test_a_detained_womans_letters_agree_with_her(store):
    client_id = _client(
        store,
        family_names="Fictitia",
        gender="female",
        country_of_birth="HN",
        date_of_birth="1990-02",
        custody={"status": "detained", "facility": "Stewart Detention Center, Lumpkin, GA"},
    )
    service = RequestService(store)
    spanish = service.letter(client_id, "ICE", lang="es", today=TODAY).text()
    assert "Mi cliente está detenida" in spanish and "a mi cliente detenida" in spanish
    assert "detenido" not in spanish
    clearance = service.letter(client_id, "CLEARANCE", today=TODAY).text()
    assert "nacida en febrero de 1990 en Honduras" in clearance  # a month, said as one
    assert "me encuentro detenida fuera de Honduras" in clearance


def test_the_signed_consent_page_asks_the_client_what_the_record_does_not_say(store):
    client_id = _client(store, family_names="Fictitia")
    letter = RequestService(store).letter(client_id, "CBP", today=TODAY)
    consent = letter.text().split("Verification of identity")[1]
    assert "[other names used, or “none”]" in consent and "none recorded" not in consent
    assert "[nationality]" in consent
    assert (
        "Other names used: none recorded" in letter.text().split("Verification")[0]
    )  # the attorney's letter


def test_an_allegation_of_no_stated_kind_is_not_given_words_dhs_did_not_use(store):
    client_id = _client(store)
    allegation = store.create(
        "allegation", {"kind": "other", "wording": "Subject is a threat."}, client_id=client_id
    )
    text = RequestService(store).letter(client_id, "ICE", allegation=allegation.id, today=TODAY).text()
    assert "Every record on which the allegation against my client rests" in text
    assert "“Subject is a threat.”" in text and ".”." not in text
    assert "danger" not in text and "flight" not in text


def test_a_replaced_or_closed_certificate_is_no_longer_an_alert():
    old = ("old", _certificate("2026-10-01"))
    new = ("new", _certificate("2026-11-30"))
    states = {s.id: s.state for s in tracking.judge([old, new], TODAY)}
    assert states == {"old": "replaced", "new": "expiring"}
    closed = tracking.request_state("c", _certificate("2026-10-01", status="closed"), TODAY)
    assert closed.state == "answered" and closed.closed
    assert not [i for i in client_deadlines({}, [_certificate("2026-10-01", status="closed")], TODAY)]


def test_a_past_hearing_no_longer_hides_a_certificates_end_and_any_iterable_is_read_once():
    lapsing = _certificate("2026-11-30")  # its last day: December 30
    items = client_deadlines({"next_hearing": "2026-01-10"}, (r for r in [lapsing]), TODAY)
    assert [(i.kind, i.due) for i in items] == [("certificate", D("2026-12-30"))]


def test_the_pdf_names_who_signs_and_a_certificate_letter_no_one(jose, pdf, tmp_path):
    service, client_id = jose
    _letter, data = service.draft(client_id, "ICE", today=TODAY, record=False)
    assert pdf.info(pdf.write(tmp_path, data, "a.pdf"))["Author"] == "Laura Ficticia Ortiz"
    _letter, data = service.draft(client_id, "CLEARANCE", today=TODAY, record=False)
    assert pdf.info(pdf.write(tmp_path, data, "b.pdf")).get("Author", "") == ""


def test_a_recorded_draft_carries_no_empty_field(store):
    client_id = _client(store)
    created = RequestService(store).record_drafts(client_id, "ICE")
    assert created[0].data == {"agency": "ICE", "status": "draft"}  # an older Declara reads its export


def test_the_requester_is_kept_in_the_vault_and_text_that_hides_what_it_says_is_refused(store):
    service = RequestService(store)
    saved = service.set_requester(Requester(name="  Laura   Ortiz ", address=("1 Main St", "", "Town")))
    assert saved == Requester(name="Laura Ortiz", address=("1 Main St", "Town"))
    with pytest.raises(ValidationError):
        service.set_requester(Requester(name="Laura\u202eOrtiz"))
    assert service.requester().name == "Laura Ortiz"  # unchanged


# -- case files ---------------------------------------------------------------------------------------
def test_a_requests_links_go_through_a_case_file_as_the_files_ids(jose, store):
    service, client_id = jose
    doc = export_case(store, client_id)
    certificate = next(f for f in doc["foia_requests"] if f.get("certificate"))
    assert certificate["allegation"] == "al-1" and certificate["representative"] == "fam-marta"
    store.delete(client_id)
    again = import_case(store, doc)
    record = next(r for r in store.children(again, "foia_request") if r.data.get("certificate"))
    assert record.data["allegation"] == service.allegation(again, "al-1").id
    assert store.get(record.data["representative"]).data["given_names"] == "Marta Alicia"


def test_a_request_links_to_the_allegation_even_when_another_record_has_the_same_id(store):
    from desktop.case.casefile import CaseFileError

    base = {"format": "declara-case", "version": 2, "client": {"given_names": "Ana"}}  # ids from version 2
    shared = {
        **base,
        "allegations": [
            {"id": "a1", "kind": "gang_affiliation", "rebuttal": [{"id": "a1", "kind": "other"}]}
        ],
        "foia_requests": [{"id": "f1", "agency": "ICE", "allegation": "a1"}],
    }
    client_id = import_case(store, shared)
    request = store.children(client_id, "foia_request")[0]
    assert store.get(request.data["allegation"]).kind == "allegation"  # not the rebuttal item
    twice = {
        **base,
        "allegations": [{"id": "a1", "kind": "other"}],
        "foia_requests": [{"id": "a1", "agency": "ICE"}],
    }
    with pytest.raises(CaseFileError) as caught:
        import_case(store, twice)
    assert any("a1" in problem.message() for problem in caught.value.problems)


def test_a_case_file_whose_request_points_nowhere_is_refused(store):
    from desktop.case.casefile import CaseFileError

    doc = {
        "format": "declara-case",
        "version": 1,
        "client": {"given_names": "Ana"},
        "foia_requests": [{"agency": "ICE", "allegation": "al-9"}],
    }
    with pytest.raises(CaseFileError) as caught:
        import_case(store, doc)
    assert any("al-9" in p.message() for p in caught.value.problems)
    assert store.count("client") == 0


# -- the client list -----------------------------------------------------------------------------------
def test_the_client_list_shows_a_certificate_lapsing_before_the_hearing(jose, store):
    from desktop.case.clients import client_rows

    service, client_id = jose
    # The FOIA requests answered, the certificate lapsing on December 10 is the next deadline.
    for record in service.requests(client_id):
        if not record.data.get("certificate"):
            store.update(record.id, {**record.data, "status": "received"})
    row = next(r for r in client_rows(store.conn, TODAY) if r.id == client_id)
    assert row.deadline.kind == "certificate" and row.deadline.due == D("2026-12-10")
    assert not row.deadline.overdue
    later = next(r for r in client_rows(store.conn, D("2026-12-11")) if r.id == client_id)
    assert later.deadline.kind == "certificate" and later.deadline.overdue


def test_migration_11_adds_the_certificate_columns_to_an_older_vault(tmp_path, passphrase, monkeypatch):
    from desktop.case import summary
    from desktop.case.store import CaseStore
    from desktop.vault import keyheader as kh
    from desktop.vault import migrations
    from desktop.vault.database import create_vault, open_vault, unlock

    policy = kh.unsafe_test_policy()
    original = migrations.migrate
    monkeypatch.setattr(migrations, "migrate", lambda conn, **kw: original(conn, **{**kw, "target": 10}))
    monkeypatch.setattr(
        summary, "refresh", lambda conn, client_id: None
    )  # a schema-10 list has no such columns
    path = tmp_path / "old.declara"
    doc = read_case_file(resource_path("examples", "case-jose.json"))
    with create_vault(path, passphrase, policy) as vault:
        client_id = import_case(CaseStore(vault), doc)
        columns = {row[1] for row in vault.conn.execute("PRAGMA table_info(client_summary)")}
        assert "cert_due" not in columns
    monkeypatch.undo()
    with open_vault(path, unlock(path, passphrase, policy)) as vault:
        assert migrations.current_version(vault.conn) == migrations.LATEST
        row = vault.conn.execute(
            "SELECT cert_due FROM client_summary WHERE client_id = ?", (client_id,)
        ).fetchone()
    assert row == ("2026-12-10",)


def test_the_docs_list_every_fact_no_source_confirmed():
    text = (Path(__file__).resolve().parents[2] / "docs" / "requests.md").read_text(encoding="utf-8")
    missing = [where for where, fact in tables.all_facts() if not fact.confirmed and f"`{where}`" not in text]
    assert missing == []


def test_a_facility_is_found_in_the_ice_list_by_its_name_as_recorded():
    from desktop.requests.service import facility_address

    jena = ("Central Louisiana ICE Processing Center (CLIPC)", "830 Pinehill Road", "Jena, LA 71342")
    assert facility_address("Central Louisiana ICE Processing Center, Jena, LA") == jena
    assert facility_address("central louisiana ice processing center (clipc)") == jena
    assert facility_address("Stewart Detention Center")[1:] == ("146 CCA Road", "Lumpkin, GA 31815")
    assert facility_address("A county jail not in the list") == ()
