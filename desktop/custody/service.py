"""CustodyService: the custody record of a client read from the vault, and the custody documents
drafted from it (the parole request, the statement of facts for habeas, the bond packet through
the filing packet's machinery)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from desktop.case.model import Record
from desktop.case.store import CaseStore
from desktop.custody.drafts import IDENTITY_KINDS, CustodyInput, habeas_facts, parole_letter
from desktop.custody.record import CustodySummary, summarize
from desktop.errors import ValidationError
from desktop.i18n import N_
from desktop.requests.letters import Letter

BOND_TITLE = N_("Respondent's Submission in Support of a Custody Redetermination (Bond)")
NO_BOND_DOCUMENTS = N_(
    "The bond packet has nothing to file yet: link the sponsor's letter of support to the sponsor, "
    "add identity documents, or link rebuttal documents to the allegation."
)


class CustodyService:
    def __init__(self, store: CaseStore) -> None:
        self.store = store

    def events(self, client_id: str) -> list[Record]:
        return self.store.children(client_id, "custody_event")

    def summary(self, client_id: str, today: dt.date) -> CustodySummary:
        client = self.store.get(client_id)
        deadline = (client.data.get("custody") or {}).get("next_deadline")
        return summarize(self.events(client_id), today, deadline)

    def input(self, client_id: str, today: dt.date, signer: tuple[str, ...] = ()) -> CustodyInput:
        """Everything a custody draft reads, from the vault, in memory."""
        from desktop.custody import law

        client = self.store.get(client_id)
        documents = {
            d.id: d.data for d in self.store.children(client_id, "document") if not d.data.get("purged")
        }
        allegations = []
        for allegation in self.store.children(client_id, "allegation"):
            rebuttals = tuple(
                {**r.data, "_id": r.id} for r in self.store.children(client_id, "rebuttal", allegation.id)
            )
            allegations.append((allegation.id, allegation.data, rebuttals))
        facility = (client.data.get("custody") or {}).get("facility")
        return CustodyInput(
            client=client.data,
            summary=self.summary(client_id, today),
            today=today,
            family=tuple((m.id, m.data) for m in self.store.children(client_id, "family_member")),
            documents=documents,
            allegations=tuple(allegations),
            field_office=law.field_office_lines(facility),
            signer=signer,
        )

    def draft(self, client_id: str, kind: str, today: dt.date, signer: tuple[str, ...] = ()) -> Letter:
        """The parole request or the statement of facts for habeas (``kind``)."""
        data = self.input(client_id, today, signer)
        if kind == "parole":
            return parole_letter(data)
        if kind == "habeas-facts":
            return habeas_facts(data)
        raise ValueError(kind)

    # -- the bond packet ------------------------------------------------------------------------------
    def bond_exhibits(self, client_id: str) -> list[dict[str, Any]]:
        """The sponsor's letters of support, the identity documents, then the rebuttal documents
        (each once, in that order), as the filing packet's exhibits."""
        from desktop.filing.packet import PacketService

        packets = PacketService(self.store)
        documents = [d for d in packets.documents.documents(client_id) if not d.data.get("purged")]
        sponsors = {m.id for m in self.store.children(client_id, "family_member") if m.data.get("sponsor")}
        translations = {(d.data.get("translation") or {}).get("document") for d in documents}

        def links(document: Record) -> dict[str, Any]:
            return document.data.get("links") or {}

        groups = [
            [
                d
                for d in documents
                if links(d).get("family_member") in sponsors and d.data.get("kind") == "letter_of_support"
            ],
            [d for d in documents if d.data.get("kind") in IDENTITY_KINDS],
            [
                d
                for d in documents
                if links(d).get("rebuttal") or (links(d).get("allegation") and d.data.get("kind") != "i213")
            ],
        ]
        out: list[dict[str, Any]] = []
        seen: set[str] = set()
        for group in groups:
            for document in group:
                if document.id in seen or document.id in translations:
                    continue
                seen.add(document.id)
                out.append({"source": f"document:{document.id}", "description": packets.describe(document)})
        return out

    def bond_packet(self, client_id: str, service: dict[str, Any] | None = None) -> Record:
        """A new filing packet titled for a custody redetermination, its exhibits chosen from the
        custody record's documents (the packet's checks, build and proof of service are the filing
        packet's: desktop.filing)."""
        from desktop.filing.packet import PacketService
        from desktop.i18n import translator

        exhibits = self.bond_exhibits(client_id)
        if not exhibits:
            raise ValidationError(NO_BOND_DOCUMENTS)
        fields = {"service": service} if service else {}
        return PacketService(self.store).create(
            client_id, title=translator("en")(BOND_TITLE), exhibits=exhibits, **fields
        )
