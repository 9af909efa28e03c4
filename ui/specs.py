"""What the client record shows: the fields of each form and the columns of each table."""

from __future__ import annotations


from desktop.case.names import display_name

from desktop.i18n import N_, _
from desktop.case.model import Record
from ui.forms import (
    A_NUMBER,
    AMOUNT,
    BOOL,
    COUNTRIES,
    COUNTRY,
    LANGUAGES,
    CHOICES,
    DATE,
    FACILITY,
    LANGTEXT,
    LIST,
    MULTILINE,
    SPOKEN_DATE,
    VOCAB,
    FieldSpec,
)
from ui.linked_documents import LINKED
from ui.models.record_table import ColumnSpec

DATE_HINT = N_(
    "EDTF: 2024-04-28, 2022-03, 2015~ (around), 2015? (uncertain), 2021-22 (summer), 2023-11/2024-01"
)

def _request(method: str):  # noqa: ANN202 - a column's renderer, read from the shown client's requests
    def render(record: Record):  # noqa: ANN202
        from ui.request_glance import REQUESTS

        return getattr(REQUESTS, method)(record)

    return render


IDENTITY = [
    FieldSpec("given_names", N_("Given names"), required=True),
    FieldSpec("family_names", N_("Family names")),
    FieldSpec("aliases", N_("Also known as"), LIST, hint=N_("Separate several names with commas")),
    FieldSpec("a_number", N_("A-number"), A_NUMBER, hint=N_("7 to 9 digits, e.g. A 012-345-678")),
    FieldSpec("date_of_birth", N_("Date of birth"), DATE, hint=DATE_HINT),
    FieldSpec("country_of_birth", N_("Country of birth"), COUNTRY, hint=N_("Type any part of the name")),
    FieldSpec("nationalities", N_("Nationalities"), COUNTRIES, hint=N_("Type any part of the name")),
    FieldSpec("languages", N_("Languages"), LANGUAGES, hint=N_("Type any part of the name: K'iche', Mam …")),
    FieldSpec("gender", N_("Gender"), VOCAB, vocab="gender"),
    FieldSpec("custody.status", N_("Custody"), VOCAB, vocab="custody_status"),
    FieldSpec(
        "custody.facility",
        N_("Facility"),
        FACILITY,
        hint=N_("Type to search the ICE facility list, or type any name"),
    ),
    FieldSpec("custody.since", N_("In custody since"), DATE, hint=DATE_HINT),
    FieldSpec("custody.bond", N_("Bond"), VOCAB, vocab="bond"),
    FieldSpec("custody.next_deadline.date", N_("Next custody deadline"), DATE, hint=DATE_HINT),
    FieldSpec(
        "custody.next_deadline.what",
        N_("What is due then"),
        hint=N_("A parole decision, a bond hearing, a custody review …"),
    ),
    FieldSpec("notes", N_("Notes"), MULTILINE),
]

PROCEEDINGS = [
    FieldSpec("proceedings.court", N_("Immigration court"), hint=N_("e.g. Otero Immigration Court")),
    FieldSpec("proceedings.court_city", N_("Court city"), hint=N_("Where the court sits, for the caption")),
    FieldSpec("proceedings.court_state", N_("Court state"), hint=N_("Two-letter code: TX, LA, NM …")),
    FieldSpec("proceedings.judge", N_("Immigration judge")),
    FieldSpec("proceedings.last_arrival", N_("Last arrival"), DATE, hint=DATE_HINT),
    FieldSpec("proceedings.asylum_filed_on", N_("Asylum application filed on"), DATE, hint=DATE_HINT),
    FieldSpec("proceedings.next_hearing", N_("Next hearing"), DATE, hint=DATE_HINT),
    FieldSpec("proceedings.relief_sought", N_("Relief sought"), CHOICES, vocab="relief"),
]

FAMILY_FIELDS = [
    FieldSpec("relationship", N_("Relationship"), VOCAB, vocab="relationship"),
    FieldSpec("given_names", N_("Given names")),
    FieldSpec("family_names", N_("Family names")),
    FieldSpec("date_of_birth", N_("Date of birth"), DATE, hint=DATE_HINT),
    FieldSpec("a_number", N_("A-number"), A_NUMBER),
    FieldSpec("separation.date", N_("Separated on"), DATE, hint=DATE_HINT),
    FieldSpec("separation.place", N_("Separated at")),
    FieldSpec(
        "separation.reason_recorded",
        N_("Reason recorded (verbatim)"),
        MULTILINE,
        hint=N_("Copy the government's words exactly, e.g. from the I-213"),
    ),
    FieldSpec("whereabouts", N_("Whereabouts now"), hint=N_("ORR shelter, sponsor, home country …")),
    FieldSpec("reunified_on", N_("Reunified on"), DATE, hint=DATE_HINT),
    FieldSpec("us_status", N_("Status in the United States"), VOCAB, vocab="us_status"),
    FieldSpec(
        "sponsor",
        N_("Sponsor"),
        BOOL,
        hint=N_("Offers to house and support the client on release; link their letter of support"),
    ),
    FieldSpec("address", N_("Address"), hint=N_("Where the client would live on release")),
    FieldSpec("phone", N_("Telephone")),
]

FAMILY_COLUMNS = [
    ColumnSpec(N_("Relationship"), "relationship", "vocab", "relationship"),
    ColumnSpec(
        N_("Name"),
        kind="custom",
        render=lambda r: display_name(r.data),
    ),
    ColumnSpec(N_("Separated on"), "separation.date", "date"),
    ColumnSpec(N_("Whereabouts"), "whereabouts"),
    ColumnSpec(N_("Reunified on"), "reunified_on", "date"),
]

ALLEGATION_FIELDS = [
    FieldSpec("kind", N_("Kind"), VOCAB, vocab="allegation_kind"),
    FieldSpec("organization", N_("Organization named"), hint=N_("e.g. MS-13, Barrio 18")),
    FieldSpec("wording", N_("Exact wording"), MULTILINE, hint=N_("Copy the allegation word for word")),
    FieldSpec(
        "wording_es",
        N_("DHS's wording in Spanish"),
        MULTILINE,
        hint=N_("A Spanish rendering of the exact wording, for the client's declaration"),
    ),
    FieldSpec(
        "source_document",
        N_("Document it appears in"),
        hint=N_("I-213, DHS filing, bond hearing, FOIA response …"),
    ),
    FieldSpec("disclosed_on", N_("Disclosed on"), DATE, hint=DATE_HINT),
    FieldSpec("source_agency", N_("Agency")),
    FieldSpec("source_program", N_("Source program"), VOCAB, vocab="source_program"),
    FieldSpec("basis_claimed", N_("Basis claimed"), MULTILINE),
    FieldSpec(
        "consequence_claimed",
        N_("Consequence DHS claims"),
        hint=N_("detention, denial of bond, a bar to asylum …"),
    ),
    FieldSpec("status", N_("Status"), VOCAB, vocab="allegation_status"),
]

ALLEGATION_COLUMNS = [
    ColumnSpec(N_("Kind"), "kind", "vocab", "allegation_kind"),
    ColumnSpec(N_("Organization"), "organization"),
    ColumnSpec(N_("Source program"), "source_program", "vocab", "source_program"),
    ColumnSpec(N_("Disclosed on"), "disclosed_on", "date"),
    ColumnSpec(N_("Status"), "status", "vocab", "allegation_status"),
    ColumnSpec(
        N_("Requests"), kind="custom", render=_request("glance_text"), alert=_request("glance_alert")
    ),
]

REBUTTAL_FIELDS = [
    FieldSpec("kind", N_("Evidence"), VOCAB, vocab="rebuttal_kind"),
    FieldSpec("country", N_("Country"), COUNTRY),
    FieldSpec("issuer", N_("Issued by")),
    FieldSpec("description", N_("Description"), MULTILINE),
    FieldSpec("status", N_("Status"), VOCAB, vocab="rebuttal_status"),
    FieldSpec("requested_on", N_("Requested on"), DATE, hint=DATE_HINT),
    FieldSpec("obtained_on", N_("Obtained on"), DATE, hint=DATE_HINT),
    FieldSpec("filed_on", N_("Filed on"), DATE, hint=DATE_HINT),
]

REBUTTAL_COLUMNS = [
    ColumnSpec(N_("Evidence"), "kind", "vocab", "rebuttal_kind"),
    ColumnSpec(
        N_("Issued by"),
        kind="custom",
        render=lambda r: r.data.get("issuer") or r.data.get("description") or "",
    ),
    ColumnSpec(N_("Status"), "status", "vocab", "rebuttal_status"),
    ColumnSpec(N_("Documents"), kind="custom", render=lambda r: LINKED.text(r.id)),
]

FOIA_FIELDS = [
    FieldSpec(
        "agency",
        N_("Agency or issuer"),
        required=True,
        hint=N_("CBP, ICE, USCIS, OBIM, FBI, EOIR, DOS, or the office that issues a certificate"),
    ),
    # Choices: the client's allegations (set by ui.controllers.requests).
    FieldSpec("allegation", N_("Answers the allegation"), VOCAB),
    # Choices: the clearance certificates of resources/requests/clearances.toml.
    FieldSpec("certificate", N_("Clearance certificate"), VOCAB),
    FieldSpec("subject", N_("Subject")),
    FieldSpec("sent_on", N_("Sent on"), DATE, hint=DATE_HINT),
    FieldSpec("tracking_number", N_("Tracking number")),
    FieldSpec("status", N_("Status"), VOCAB, vocab="foia_status"),
    FieldSpec("expedited", N_("Expedited processing"), VOCAB, vocab="foia_expedited"),
    FieldSpec("received_on", N_("Received on"), DATE, hint=DATE_HINT),
    FieldSpec(
        "issued_on",
        N_("Certificate issued on"),
        DATE,
        hint=N_("The date printed on the certificate: its validity counts from it"),
    ),
    # Choices: the client's family members (set by ui.controllers.requests).
    FieldSpec("representative", N_("Applied for by"), VOCAB),
]


def foia_due_text(record: Record) -> str:
    """The due date of a FOIA request, or the last valid day of a certificate (ui.request_glance)."""
    from ui.request_glance import REQUESTS

    return REQUESTS.date_text(record)


FOIA_COLUMNS = [
    ColumnSpec(N_("To"), kind="custom", render=_request("to_text")),
    ColumnSpec(N_("Allegation"), kind="custom", render=_request("allegation_text")),
    ColumnSpec(N_("Sent on"), "sent_on", "date"),
    ColumnSpec(N_("Tracking number"), "tracking_number"),
    ColumnSpec(N_("State"), kind="custom", render=_request("state_text"), alert=_request("alert")),
    ColumnSpec(
        N_("Answer due or valid until"), kind="custom", render=foia_due_text, alert=_request("alert")
    ),
    ColumnSpec(N_("Documents"), kind="custom", render=lambda r: LINKED.text(r.id)),
]

VISIT_COLUMNS = [
    ColumnSpec(N_("Date"), "date", "date"),
    ColumnSpec(N_("Facility"), "facility"),
    ColumnSpec(N_("Mode"), "mode", "vocab", "visit_mode"),
    ColumnSpec(N_("Interpreter"), "interpreter.name"),
]


def source_words(token: str) -> str:
    """One source in words: 'Interview', 'Decl. ¶ 4', 'Ex. C', a document's name."""
    kind, _sep, rest = token.partition(":")
    if kind == "interview":
        return _("Interview")
    if kind == "paragraph":
        return _("Decl. ¶ {number}").format(number=rest)
    if kind == "exhibit":
        return _("Ex. {label}").format(label=rest)
    if kind == "document" and (title := LINKED.source(token)) is not None:
        return title  # a document of the vault, by its title (and page)
    return rest or token


def sources_text(record: Record) -> str:
    """Sources in words: 'Interview', 'Decl. ¶ 4', 'Ex. C', a document's name."""
    return ", ".join(source_words(source) for source in record.data.get("sources") or [])


EVENT_COLUMNS = [
    ColumnSpec(N_("No."), kind="row"),
    ColumnSpec(N_("Date"), "date", "date"),
    ColumnSpec(N_("Category"), "category", "vocab", "event_category"),
    ColumnSpec(N_("What happened"), "text", "langtext"),
    ColumnSpec(N_("Place"), "place"),
    ColumnSpec(N_("Status"), "status", "vocab", "event_status"),
    ColumnSpec(N_("Sources"), kind="custom", render=sources_text),
]

EVENT_FIELDS = [
    FieldSpec(
        "date",
        N_("Date"),
        SPOKEN_DATE,
        required=True,
        hint=N_("As the client says it — around 2015, marzo 2022, summer 2018 — or EDTF (2015~)"),
        extra={"said": "date_said"},  # the words kept beside the date (a season is read by region)
    ),
    FieldSpec("category", N_("Category"), VOCAB, vocab="event_category"),
    FieldSpec("status", N_("Status"), VOCAB, vocab="event_status"),
    FieldSpec("place", N_("Place")),
    FieldSpec("text", N_("What happened"), LANGTEXT),
    FieldSpec(
        "sources",
        N_("Sources"),
        LIST,
        hint=N_("Separated by commas: interview, document:i-213, exhibit:C, paragraph:4"),
    ),
]


CUSTODY_FIELDS = [
    FieldSpec("kind", N_("What happened"), VOCAB, vocab="custody_event_kind"),
    FieldSpec("date", N_("Date"), DATE, required=True, hint=DATE_HINT),
    FieldSpec("facility", N_("Facility"), FACILITY),
    FieldSpec("place", N_("Place"), hint=N_("Where it happened, when it was not in a facility")),
    FieldSpec("agency", N_("Agency"), hint=N_("Border Patrol, CBP, ICE …")),
    FieldSpec("authority", N_("Detention authority DHS claims"), VOCAB, vocab="detention_authority"),
    FieldSpec("outcome", N_("Outcome"), VOCAB, vocab="custody_outcome"),
    FieldSpec("judge", N_("Immigration judge")),
    FieldSpec("amount_requested", N_("Bond requested (USD)"), AMOUNT),
    FieldSpec("amount_set", N_("Bond set (USD)"), AMOUNT),
    FieldSpec("reasons", N_("Reasons given"), MULTILINE, hint=N_("As the decision or the judge gave them")),
    FieldSpec(
        "conditions",
        N_("Conditions of release"),
        MULTILINE,
        hint=N_("Alternatives to detention: ankle monitor, check-ins, the ISAP app …"),
    ),
    FieldSpec("notes", N_("Notes"), MULTILINE),
    FieldSpec(
        "sources",
        N_("Sources"),
        LIST,
        hint=N_("Separated by commas: interview, document:i-213, exhibit:C, paragraph:4"),
    ),
]


def custody_where(record: Record) -> str:
    return str(record.data.get("facility") or record.data.get("place") or "")


CUSTODY_COLUMNS = [
    ColumnSpec(N_("Date"), "date", "date"),
    ColumnSpec(N_("What happened"), "kind", "vocab", "custody_event_kind"),
    ColumnSpec(N_("Facility or place"), kind="custom", render=custody_where),
    ColumnSpec(N_("Authority"), "authority", "vocab", "detention_authority"),
    ColumnSpec(N_("Outcome"), "outcome", "vocab", "custody_outcome"),
    ColumnSpec(N_("Sources"), kind="custom", render=sources_text),
]
