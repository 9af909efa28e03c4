"""The facts parole and bond decisions weigh, gathered from a client's record, each pointing at what
it comes from: the identity documents held, the sponsor and family with status in the United
States (their address, their letter of support), the appearances kept, the rebuttal evidence in
hand for each allegation, and the medical or humanitarian facts. What is missing is said as missing,
so the attorney sees what a parole request or a bond packet would still lack."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.case.names import display_name
from desktop.custody.drafts import IDENTITY_KINDS, SPONSOR_STATUS, CustodyInput
from desktop.i18n import N_

IDENTITY = N_("Identity document")
SPONSOR = N_("Sponsor")
FAMILY = N_("Family in the United States")
APPEARANCE = N_("Appearance kept")
REBUTTAL = N_("Rebuttal evidence")
MEDICAL = N_("Medical or humanitarian fact")
MISSING = N_("Missing")
NO_IDENTITY = N_("no identity document in the record")
NO_SPONSOR = N_("no sponsor marked in the family")
NO_LETTER = N_("no letter of support linked")
NO_REBUTTAL = N_("no rebuttal evidence obtained yet")


@dataclass(frozen=True)
class Weighed:
    """One fact: its kind (a message id), what it says (as recorded), and where it comes from
    (document titles and source tokens; empty: nothing names one). ``missing``: a gap, not a fact."""

    kind: str
    detail: str
    sources: tuple[str, ...] = ()
    missing: bool = False
    date: str = ""  # EDTF, for the appearances and medical facts of the custody record


def weighed(data: CustodyInput) -> list[Weighed]:
    docs = data.documents
    out: list[Weighed] = []

    def linked(key: str, record_id: str) -> tuple[str, ...]:
        return tuple(
            str(d.get("title") or "") for d in docs.values() if (d.get("links") or {}).get(key) == record_id
        )

    identity = [str(d.get("title") or "") for d in docs.values() if d.get("kind") in IDENTITY_KINDS]
    out += [Weighed(IDENTITY, title, (title,)) for title in identity]
    if not identity:
        out.append(Weighed(MISSING, NO_IDENTITY, missing=True))
    sponsors = 0
    for member_id, member in data.family:
        status = str(member.get("us_status") or "")
        if not member.get("sponsor") and status not in SPONSOR_STATUS:
            continue
        letters = linked("family_member", member_id)
        detail = ", ".join(p for p in (display_name(member), str(member.get("address") or "")) if p)
        if member.get("sponsor"):
            sponsors += 1
            out.append(Weighed(SPONSOR, detail, letters))
            if not letters:
                out.append(Weighed(MISSING, NO_LETTER, missing=True))
        else:
            out.append(Weighed(FAMILY, detail, letters))
    if not sponsors:
        out.append(Weighed(MISSING, NO_SPONSOR, missing=True))
    for entry in data.summary.entries:
        if entry.kind in ("appearance", "medical"):
            kind = APPEARANCE if entry.kind == "appearance" else MEDICAL
            where = entry.data.get("place") or entry.data.get("facility") or entry.data.get("notes") or ""
            tokens = tuple(str(t) for t in entry.data.get("sources") or ())
            out.append(Weighed(kind, str(where), tokens, date=entry.date))
    evidence = 0
    for _allegation_id, _allegation, rebuttals in data.allegations:
        for rebuttal in rebuttals:
            if rebuttal.get("status") not in ("obtained", "filed"):
                continue
            evidence += 1
            out.append(
                Weighed(
                    REBUTTAL, str(rebuttal.get("issuer") or ""), linked("rebuttal", rebuttal.get("_id", ""))
                )
            )
    if data.allegations and not evidence:
        out.append(Weighed(MISSING, NO_REBUTTAL, missing=True))
    out += [Weighed(MEDICAL, str(d.get("title") or ""), (str(d.get("title") or ""),)) for d in docs.values()
            if d.get("kind") == "medical_record"]  # fmt: skip
    return out
