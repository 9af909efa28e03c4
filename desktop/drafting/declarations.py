"""Declarations: versions, signing, and the paragraph operations of the editor.

A declaration is a record (kind ``declaration``) with its paragraphs as child records, in order.
Signing freezes a version: its status becomes ``signed`` with the day the client signed and a
SHA-256 of its canonical text (the place, interpreter and translator of the signing are stored
first, so the SHA-256 covers them; :mod:`desktop.drafting.signing` says what blocks a signing),
and neither it nor its paragraphs can change again (a signed declaration is sworn under
28 U.S.C. § 1746). The first edit after signing starts a new draft version, a full copy,
so every signed version stays readable and exportable.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from collections.abc import Mapping
from typing import Any

from desktop.jsonutil import canonical_bytes
from desktop.errors import SignedVersion
from desktop.i18n import N_
from desktop.case.model import Record
from desktop.case.store import CaseStore
from desktop.vault.database import short_id

LANGS = ("en", "es")


@dataclass(frozen=True)
class Version:
    record: Record
    paragraphs: list[Record]

    @property
    def number(self) -> int:
        return int(self.record.data.get("version") or 1)

    @property
    def signed(self) -> bool:
        return self.record.data.get("status") == "signed"


def canonical_text(declaration: dict[str, Any], paragraphs: list[dict[str, Any]]) -> bytes:
    """What a signature covers: the declaration's fields and every paragraph, in order."""
    body = {
        "declaration": {k: v for k, v in declaration.items() if k not in ("status", "signed_on", "sha256")},
        "paragraphs": [{k: p.get(k) for k in sorted(p) if k != "events"} for p in paragraphs],
    }
    return canonical_bytes(body)


class DeclarationService:
    def __init__(self, store: CaseStore) -> None:
        self.store = store

    # -- versions --------------------------------------------------------------------------------
    def versions(self, client_id: str) -> list[Version]:
        """Every version, oldest first."""
        out = []
        for record in self.store.children(client_id, "declaration"):
            out.append(Version(record, self.store.children(client_id, "paragraph", record.id)))
        return sorted(out, key=lambda v: (v.number, v.record.created_at))

    def current(self, client_id: str) -> Version | None:
        versions = self.versions(client_id)
        return versions[-1] if versions else None

    def version(self, client_id: str, number: int | None = None) -> Version | None:
        """The version with this number (the last of them, should two share it), the current one
        when ``number`` is None; None when there is no such version."""
        versions = self.versions(client_id)
        if number is not None:
            versions = [v for v in versions if v.number == number]
        return versions[-1] if versions else None

    def render_input(self, client_id: str, version_number: int | None = None) -> dict[str, Any] | None:
        """What :func:`desktop.documents.declaration.render_declaration` takes as ``declaration``
        for one version (the current one by default), as stored now: its fields and its number
        (a declaration imported from a case file may not say it), and its paragraphs in order, each
        naming the events it tells by their chronology reference (``ev-…``, as in a case file).
        None when the client has no such version."""
        version = self.version(client_id, version_number)
        if version is None:
            return None
        refs = {e.id: event_ref(e) for e in self.store.children(client_id, "event")}
        paragraphs = [
            {**p.data, "events": [refs[e] for e in p.data.get("events") or [] if e in refs]}
            for p in version.paragraphs
        ]
        return {"version": version.number, **version.record.data, "paragraphs": paragraphs}

    def create(self, client_id: str, data: dict[str, Any], paragraphs: list[dict[str, Any]]) -> Version:
        """A new declaration (version 1, or the next version) with its paragraphs."""
        current = self.current(client_id)
        number = current.number + 1 if current else 1
        with self.store.vault.transaction():
            fields = {
                **{k: v for k, v in data.items() if k not in ("status", "signed_on", "sha256")},
                "version": number,
                "status": "draft",
            }
            record = self.store.create("declaration", fields, client_id=client_id)
            for i, paragraph in enumerate(paragraphs):
                self.store.create(
                    "paragraph", paragraph, client_id=client_id, parent_id=record.id, position=i
                )
        return Version(self.store.get(record.id), self.store.children(client_id, "paragraph", record.id))

    def ensure_draft(self, client_id: str) -> Version:
        """The current version if it is a draft; otherwise a new draft copied from it."""
        current = self.current(client_id)
        if current is None:
            return self.create(client_id, {"drafted_in": "en", "declarant_language": "es"}, [])
        if not current.signed:
            return current
        return self.create(client_id, current.record.data, [p.data for p in current.paragraphs])

    def sign(
        self,
        client_id: str,
        signed_on: date | None = None,
        *,
        place: Mapping[str, Any] | None = None,
        interpreter: str | Mapping[str, Any] | None = None,
        translator: str | Mapping[str, Any] | None = None,
    ) -> Version:
        """Mark the current draft signed as it happened: on ``signed_on`` (the day the client
        signed; today only for callers that sign at once), at ``place`` (``{city, region,
        country}``), before ``interpreter`` and with ``translator`` (a name, or ``{name, address,
        phone}`` merged into the stored person). None keeps what the draft already holds.

        These are stored with the version *before* its SHA-256 is computed, so the fingerprint
        covers them. Raises :class:`~desktop.drafting.signing.SigningRefused` (nothing changed)
        while :func:`~desktop.drafting.signing.signing_blockers` lists any reason, and
        :class:`SignedVersion` when there is no draft."""
        from desktop.drafting.signing import NOTHING_TO_SIGN, SigningRefused, signing_blockers

        current = self.current(client_id)
        if current is None or current.signed:
            raise SignedVersion(NOTHING_TO_SIGN)
        day = signed_on or date.today()
        fields = signing_fields(
            current.record.data, place=place, interpreter=interpreter, translator=translator
        )
        paragraphs = [p.data for p in current.paragraphs]
        blockers = signing_blockers(fields, paragraphs, ids=[p.id for p in current.paragraphs], signed_on=day)
        if blockers:
            raise SigningRefused(current.number, blockers)
        text = canonical_text(fields, paragraphs)
        data = {
            **fields,
            "status": "signed",
            "signed_on": day.isoformat(),
            "sha256": hashlib.sha256(text).hexdigest(),
        }
        self.store.update(current.record.id, data)
        return self.current(client_id)  # type: ignore[return-value]

    def verify(self, version: Version) -> bool:
        """Does a signed version's text still match the SHA-256 kept when it was signed?"""
        if not version.signed:
            return False
        text = canonical_text(version.record.data, [p.data for p in version.paragraphs])
        return hashlib.sha256(text).hexdigest() == version.record.data.get("sha256")

    # -- paragraph operations (always on the draft) ------------------------------------------------
    def _draft_paragraphs(self, client_id: str) -> tuple[Version, list[Record]]:
        draft = self.ensure_draft(client_id)
        return draft, draft.paragraphs

    def set_field(self, client_id: str, path: str, value: Any) -> Record:
        draft = self.ensure_draft(client_id)
        return self.store.set_field(draft.record.id, path, value)

    def set_paragraph(self, client_id: str, index: int, lang: str, text: str) -> Record:
        _draft, paragraphs = self._draft_paragraphs(client_id)
        return self.store.set_field(paragraphs[index].id, lang, text)

    def add_paragraph(self, client_id: str, index: int, data: dict[str, Any] | None = None) -> Record:
        """Insert a paragraph before ``index`` (at the end when index == len)."""
        draft, paragraphs = self._draft_paragraphs(client_id)
        with self.store.vault.transaction():
            for p in paragraphs[index:]:
                self.store.move(p.id, p.position + 1)
            return self.store.create(
                "paragraph",
                data or {"en": "", "es": ""},
                client_id=client_id,
                parent_id=draft.record.id,
                position=index,
            )

    def split_paragraph(self, client_id: str, index: int, lang: str, at: int) -> None:
        """Split one paragraph's ``lang`` text at character ``at``; the other language stays with
        the first half (the translator splits it too)."""
        _draft, paragraphs = self._draft_paragraphs(client_id)
        paragraph = paragraphs[index]
        text = paragraph.data.get(lang) or ""
        head, tail = text[:at].rstrip(), text[at:].lstrip()
        with self.store.vault.transaction():
            self.store.set_field(paragraph.id, lang, head)
            new = {lang: tail, ("es" if lang == "en" else "en"): ""}
            if paragraph.data.get("events"):
                new["events"] = list(paragraph.data["events"])
            if paragraph.data.get("sources"):  # both halves come from the same sources
                new["sources"] = [dict(source) for source in paragraph.data["sources"]]
            self.add_paragraph(client_id, index + 1, new)

    def merge_with_next(self, client_id: str, index: int) -> None:
        _draft, paragraphs = self._draft_paragraphs(client_id)
        if index + 1 >= len(paragraphs):
            return
        first, second = paragraphs[index], paragraphs[index + 1]
        data = dict(first.data)
        for lang in LANGS:
            parts = [t for t in (first.data.get(lang), second.data.get(lang)) if t]
            data[lang] = " ".join(parts)
        events = list(dict.fromkeys([*(first.data.get("events") or []), *(second.data.get("events") or [])]))
        if events:
            data["events"] = events
        sources = [*(first.data.get("sources") or []), *(second.data.get("sources") or [])]
        if sources:  # the merged text comes from both paragraphs' sources (each listed once)
            data["sources"] = [dict(s) for s in {_source_key(s): s for s in sources}.values()]
        with self.store.vault.transaction():
            self.store.update(first.id, data)
            self.store.delete(second.id)
            for p in paragraphs[index + 2 :]:
                self.store.move(p.id, p.position - 1)

    def move_paragraph(self, client_id: str, index: int, to: int) -> None:
        _draft, paragraphs = self._draft_paragraphs(client_id)
        if not 0 <= to < len(paragraphs) or to == index:
            return
        order = list(paragraphs)
        order.insert(to, order.pop(index))
        with self.store.vault.transaction():
            for position, p in enumerate(order):
                if p.position != position:
                    self.store.move(p.id, position)

    def delete_paragraph(self, client_id: str, index: int) -> None:
        _draft, paragraphs = self._draft_paragraphs(client_id)
        with self.store.vault.transaction():
            self.store.delete(paragraphs[index].id)
            for p in paragraphs[index + 1 :]:
                self.store.move(p.id, p.position - 1)

    def link_events(self, client_id: str, index: int, event_ids: list[str]) -> Record:
        _draft, paragraphs = self._draft_paragraphs(client_id)
        return self.store.set_field(paragraphs[index].id, "events", list(event_ids))


def signing_fields(
    data: Mapping[str, Any],
    *,
    place: Mapping[str, Any] | None = None,
    interpreter: str | Mapping[str, Any] | None = None,
    translator: str | Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A declaration's fields with the place of signing, interpreter and translator of the signing
    (None keeps the stored value; a name replaces only the person's name)."""
    fields = dict(data)
    if place is not None:
        fields["place_of_signing"] = {k: place.get(k) or None for k in ("city", "region", "country")}
    for role, given in (("interpreter", interpreter), ("translator", translator)):
        if given is None:
            continue
        person = dict(fields.get(role) or {})
        update = {"name": given} if isinstance(given, str) else dict(given)
        for key in ("name", "address", "phone", "email"):
            if key in update:
                person[key] = str(update[key] or "").strip() or None
        fields[role] = person
    return fields


def _source_key(source: Mapping[str, Any]) -> tuple[Any, Any]:
    return (source.get("kind"), source.get("id"))


def event_ref(event: Record) -> str:
    """How a declaration paragraph names an event outside the vault (a case file, a document): its
    reference, or one made from the start of its id."""
    return event.ref or f"ev-{short_id(event.id)}"


UNCOVERED = N_("Event {number} ({date}) is not told in any declaration paragraph.")
UNTRANSLATED = N_("Paragraph {paragraph} has no {language} text yet.")
_LANGUAGE_NAMES = {"en": N_("English"), "es": N_("Spanish")}


def consistency(store: CaseStore, client_id: str) -> list[Any]:
    """The declaration's checks: dates that disagree with linked events (from the chronology
    checks), events no paragraph tells, and paragraphs missing a translation."""
    from desktop.case import chronology

    issues = [i for i in chronology.check(store, client_id) if i.kind.startswith("paragraph")]
    service = DeclarationService(store)
    current = service.current(client_id)
    if current is None:
        return issues
    covered = {eid for p in current.paragraphs for eid in p.data.get("events") or []}
    for number, event in enumerate(store.children(client_id, "event"), start=1):
        if event.id not in covered:
            issues.append(
                chronology.Issue(
                    "uncovered", UNCOVERED, {"number": number, "date": event.data["date"]}, event.id
                )
            )
    for index, paragraph in enumerate(current.paragraphs, start=1):
        texts = {lang: (paragraph.data.get(lang) or "").strip() for lang in LANGS}
        if any(texts.values()):
            for lang in LANGS:
                if not texts[lang]:
                    issues.append(
                        chronology.Issue(
                            "untranslated",
                            UNTRANSLATED,
                            {"paragraph": index, "language": _LANGUAGE_NAMES[lang]},
                            None,
                            paragraph.id,
                        )
                    )
    return issues


def draft_into_vault(store: CaseStore, client_id: str) -> Version:
    """Draft a new declaration version from the interview and the chronology (desktop.drafting)."""
    from desktop.case.casefile import export_case
    from desktop.drafting import draft_declaration

    case = export_case(store, client_id)
    answers = []
    for visit in store.children(client_id, "visit"):
        for answer in store.children(client_id, "answer", visit.id):
            answers.append({**answer.data, "id": answer.id})
    drafted = draft_declaration(case, answers)
    uuid_of = {event_ref(event): event.id for event in store.children(client_id, "event")}
    paragraphs = []
    for paragraph in drafted.get("paragraphs") or []:
        data = dict(paragraph)
        if "events" in data:
            data["events"] = [uuid_of[ref] for ref in data["events"] if ref in uuid_of]
        paragraphs.append(data)
    fields = {k: v for k, v in drafted.items() if k != "paragraphs"}
    return DeclarationService(store).create(client_id, fields, paragraphs)
