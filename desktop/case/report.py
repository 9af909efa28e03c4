"""A plain-text summary of one client for ``declara case show``."""

from __future__ import annotations

from typing import Any

from desktop.case.names import display_name

from desktop.case.dates import format_edtf
from desktop.i18n import _, ngettext
from desktop.case.model import VOCABULARIES


def _vocab(name: str, value: Any) -> str:
    if value is None:
        return "—"
    label = VOCABULARIES.get(name, {}).get(value)
    return _(label) if label else str(value)


def _date(value: Any, lang: str) -> str:
    return format_edtf(value, lang) if value else "—"


def _pick(text: dict[str, str] | None, lang: str) -> str:
    if not text:
        return ""
    return text.get(lang) or next(iter(text.values()))


def case_summary(doc: dict[str, Any], lang: str) -> str:
    client = doc["client"]
    custody = client.get("custody") or {}
    proceedings = doc.get("proceedings") or {}
    name = display_name(client)
    lines = [name, "=" * len(name)]
    rows = [
        (_("A-number"), client.get("a_number") or "—"),
        (_("Date of birth"), _date(client.get("date_of_birth"), lang)),
        (_("Country of birth"), client.get("country_of_birth") or "—"),
        (_("Languages"), ", ".join(client.get("languages") or []) or "—"),
        (_("Custody"), _vocab("custody_status", custody.get("status"))),
        (_("Facility"), custody.get("facility") or "—"),
        (_("Bond"), _vocab("bond", custody.get("bond"))),
        (_("Court"), proceedings.get("court") or "—"),
        (_("Last arrival"), _date(proceedings.get("last_arrival"), lang)),
        (_("Next hearing"), _date(proceedings.get("next_hearing"), lang)),
        (
            _("Relief sought"),
            ", ".join(_vocab("relief", r) for r in proceedings.get("relief_sought") or []) or "—",
        ),
    ]
    width = max(len(label) for label, _v in rows)
    lines += [f"{label:<{width}}  {value}" for label, value in rows]
    events = doc.get("events") or []
    lines += ["", ngettext("{count} event", "{count} events", len(events)).format(count=len(events))]
    for event in events:
        lines.append(f"  {_date(event['date'], lang)} — {_pick(event.get('text'), lang)}")
    allegations = doc.get("allegations") or []
    lines += [
        "",
        ngettext("{count} allegation", "{count} allegations", len(allegations)).format(
            count=len(allegations)
        ),
    ]
    for allegation in allegations:
        lines.append(
            f"  {_vocab('allegation_kind', allegation.get('kind'))} "
            f"({_vocab('allegation_status', allegation.get('status'))}): {allegation.get('wording') or ''}"
        )
    family = doc.get("family") or []
    foia = doc.get("foia_requests") or []
    visits = doc.get("visits") or []
    declaration = doc.get("declaration") or {}
    paragraphs = declaration.get("paragraphs") or []
    lines += [
        "",
        ngettext("{count} family member", "{count} family members", len(family)).format(count=len(family)),
        ngettext("{count} FOIA request", "{count} FOIA requests", len(foia)).format(count=len(foia)),
        ngettext("{count} visit", "{count} visits", len(visits)).format(count=len(visits)),
        ngettext("{count} declaration paragraph", "{count} declaration paragraphs", len(paragraphs)).format(
            count=len(paragraphs)
        ),
    ]
    return "\n".join(lines)
