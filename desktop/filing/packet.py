"""PacketService: the ``packet`` record of a client, what blocks building it, building, saving.

A packet names its exhibits in order (``declaration``, ``timeline`` or ``document:<uuid>``); the
PDF is made from the vault at build time (:mod:`desktop.filing.build`), checked
(:mod:`desktop.filing.check`) and only then offered for saving. A filed packet (``filed_on``) is
frozen: a change makes a new version. See docs/filing.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

from desktop.case.model import Record
from desktop.case.store import CaseStore
from desktop.errors import NotFound, ValidationError
from desktop.filing import pages as generated
from desktop.filing.build import (
    DEFAULT_LIMIT,
    BuiltPacket,
    ExhibitInput,
    PacketInput,
    build_packet,
    label_for,
)
from desktop.filing.check import check_packet
from desktop.filing.split import part_name
from desktop.i18n import N_, _, translator
from desktop.vault import fsutil
from desktop.vault.database import now_iso

DEFAULT_TITLE = N_("Respondent's Evidence in Support of the Application")
DECLARATION_OF = N_("Declaration of {name}")
CHRONOLOGY = N_("Chronology of events")
WITH_TRANSLATION = N_("{title}, with English translation and certificate of translation")

FILED = N_("This packet was filed on {date} and can no longer be changed; make a new version to change it.")
NO_EXHIBITS = N_("The packet has no exhibits.")
NOT_SIGNED = N_("Exhibit {label}: the declaration is not signed yet; sign it before filing.")
NO_DECLARATION = N_("Exhibit {label}: this client has no declaration.")
DOCUMENT_GONE = N_("Exhibit {label}: the document is no longer among this client's documents.")
NEEDS = N_("Exhibit {label} (“{title}”) cannot be filed without {what}.")
NO_SERVICE = N_(
    "Enter the address where the DHS Office of the Principal Legal Advisor is served, "
    "for the proof of service."
)
REFUSED = N_("The packet cannot be built yet: {problems}")
INSIDE_VAULT = N_("The packet cannot be saved into the vault folder; choose another folder.")
UNKNOWN_SOURCE = N_("“{value}” is not an exhibit: use declaration, timeline or a document's id.")


class PacketFiled(ValidationError):
    pass


class PacketRefused(ValidationError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(REFUSED, problems=" ".join(problems))
        self.problems = problems


DEFAULTS: dict[str, Any] = {
    "lang": "en",
    "court": None,
    "hearing": None,
    "filing_party": "respondent",
    "numbering": "letters",
    "exhibits": [],
    "service": None,
    "limit_mb": 25,
    "filed_on": None,
    "built": None,
}


class PacketService:
    def __init__(self, store: CaseStore, documents: Any | None = None) -> None:
        from desktop.evidence.service import DocumentService

        self.store = store
        self.documents = documents or DocumentService(store)

    # -- the record ------------------------------------------------------------------------------
    def create(
        self, client_id: str, *, title: str, exhibits: list[dict[str, Any]] | None = None, **fields: Any
    ) -> Record:
        """A new packet (the default exhibits unless ``exhibits`` is given). Without a ``service``,
        the address remembered for the court is offered (served by ECAS, the day left to fill in)."""
        from desktop.filing.settings import service_address

        data = {**DEFAULTS, **fields, "title": title}
        lang = data.get("lang") or "en"
        data["exhibits"] = list(exhibits if exhibits is not None else self.default_exhibits(client_id, lang))
        if not data.get("court"):
            data["court"] = None
        if not data.get("service"):
            address = service_address(self.store.vault, self.court(client_id, data))
            if address:
                data["service"] = {"method": "ecas", "date": None, "address": address, "attorney": ""}
        return self.store.create("packet", data, client_id=client_id)

    def court(self, client_id: str, data: dict[str, Any]) -> str | None:
        """The packet's court: its own, else the client's proceedings'."""
        proceedings = self.store.get(client_id).data.get("proceedings") or {}
        return data.get("court") or proceedings.get("court") or None

    def get(self, packet_id: str) -> Record:
        record = self.store.get(packet_id)
        if record.kind != "packet" or record.deleted:
            raise NotFound(N_("There is no such packet."))
        return record

    def update(self, packet_id: str, data: dict[str, Any]) -> Record:
        """Change fields of a packet (the fields given replace the stored ones); refused once filed."""
        record = self.get(packet_id)
        if record.data.get("filed_on"):
            raise PacketFiled(FILED, field="filed_on", date=record.data["filed_on"])
        merged = {**record.data, **data}
        updated = self.store.update(packet_id, merged)
        address = str((merged.get("service") or {}).get("address") or "").strip()
        if address and "service" in data:  # typed once per court, offered again next time
            from desktop.filing.settings import remember_service_address

            remember_service_address(self.store.vault, self.court(record.client_id, merged), address)
        return updated

    def new_version(self, packet_id: str) -> Record:
        """A copy of the packet to change, not filed, not built."""
        record = self.get(packet_id)
        data = {**record.data, "filed_on": None, "built": None}
        return self.store.create("packet", data, client_id=record.client_id)

    def mark_filed(self, packet_id: str, on: str) -> Record:
        record = self.get(packet_id)
        if record.data.get("filed_on"):
            raise PacketFiled(FILED, field="filed_on", date=record.data["filed_on"])
        return self.store.update(packet_id, {**record.data, "filed_on": on})

    def packets(self, client_id: str) -> list[Record]:
        return sorted(self.store.children(client_id, "packet"), key=lambda r: (r.created_at, r.id))

    # -- exhibits --------------------------------------------------------------------------------
    def _signed_declaration(self, client_id: str) -> Any:
        from desktop.drafting.declarations import DeclarationService

        signed = [v for v in DeclarationService(self.store).versions(client_id) if v.signed]
        return signed[-1] if signed else None

    def default_exhibits(self, client_id: str, lang: str = "en") -> list[dict[str, Any]]:
        """The signed declaration if any, the timeline, then every live document linked to an
        allegation or a rebuttal item (not those that are another document's translation)."""
        from desktop.case.names import display_name

        t = translator(lang)
        client = self.store.get(client_id)
        out: list[dict[str, Any]] = []
        if self._signed_declaration(client_id):
            out.append(
                {
                    "source": "declaration",
                    "description": t(DECLARATION_OF).format(name=display_name(client.data)),
                }
            )
        out.append({"source": "timeline", "description": t(CHRONOLOGY)})
        documents = self.documents.documents(client_id)
        translations = {(d.data.get("translation") or {}).get("document") for d in documents}
        for document in documents:
            links = document.data.get("links") or {}
            if document.id in translations or not (links.get("allegation") or links.get("rebuttal")):
                continue
            out.append({"source": f"document:{document.id}", "description": self.describe(document, lang)})
        return out

    def describe(self, document: Record, lang: str = "en") -> str:
        """A document's line in the index: its title, and that its translation follows."""
        title = str(document.data.get("title") or "")
        if document.data.get("language") not in ("en", None):
            return translator(lang)(WITH_TRANSLATION).format(title=title)
        return title

    def exhibit_from_token(self, client_id: str, token: str, lang: str = "en") -> dict[str, Any]:
        """``declaration``, ``timeline`` or a document id (or ``document:<id>``) as an exhibit."""
        from desktop.case.names import display_name

        t = translator(lang)
        word = token.strip()
        if word == "declaration":
            name = display_name(self.store.get(client_id).data)
            return {"source": "declaration", "description": t(DECLARATION_OF).format(name=name)}
        if word == "timeline":
            return {"source": "timeline", "description": t(CHRONOLOGY)}
        doc_id = word.removeprefix("document:")
        try:
            document = self.store.get(doc_id)
        except NotFound:
            document = None
        if document is None or document.kind != "document" or document.client_id != client_id:
            raise ValidationError(UNKNOWN_SOURCE, field="exhibits", value=token)
        return {"source": f"document:{document.id}", "description": self.describe(document, lang)}

    def problems(self, packet: Record) -> list[str]:
        """What blocks building, translated, each naming the exhibit ([] when nothing)."""
        data = packet.data
        out: list[str] = []
        if not data.get("exhibits"):
            out.append(_(NO_EXHIBITS))
        numbering = data.get("numbering") or "letters"
        for n, exhibit in enumerate(data.get("exhibits") or []):
            label = label_for(n, numbering)
            source = exhibit.get("source") or ""
            if source == "declaration":
                from desktop.drafting.declarations import DeclarationService

                if not DeclarationService(self.store).versions(packet.client_id):
                    out.append(_(NO_DECLARATION).format(label=label))
                elif not self._signed_declaration(packet.client_id):
                    out.append(_(NOT_SIGNED).format(label=label))
            elif source.startswith("document:"):
                document = self._document(packet.client_id, source)
                if document is None:
                    out.append(_(DOCUMENT_GONE).format(label=label))
                    continue
                missing = self.documents.translation_missing(document)
                if missing:
                    what = ", ".join(_(m) for m in missing)
                    out.append(
                        _(NEEDS).format(label=label, title=document.data.get("title") or "", what=what)
                    )
        service = data.get("service") or {}
        if not str(service.get("address") or "").strip():
            out.append(_(NO_SERVICE))
        return out

    def _document(self, client_id: str, source: str) -> Record | None:
        try:
            document = self.store.get(source.partition(":")[2])
        except NotFound:
            return None
        if document.kind != "document" or document.deleted or document.client_id != client_id:
            return None
        return document

    # -- building --------------------------------------------------------------------------------
    def build(self, packet_id: str, *, limit_bytes: int | None = None) -> BuiltPacket:
        """Build and check the packet in memory; refuses (:class:`PacketRefused`) with the problems.
        A packet not yet filed records what was built (pages, parts and their SHA-256, the index).

        The same in three steps, for a caller that builds in a worker thread (the vault's
        connection belongs to one thread): :meth:`prepare` (reads the vault), then
        :func:`~desktop.filing.build.build_packet` and :func:`~desktop.filing.check.check_packet`
        (no vault), then :meth:`record_built` (writes the summary)."""
        spec, limit = self.prepare(packet_id, limit_bytes=limit_bytes)
        built = build_packet(spec, limit_bytes=limit)
        check_packet(built, limit_bytes=limit)
        self.record_built(packet_id, built)
        return built

    def prepare(self, packet_id: str, *, limit_bytes: int | None = None) -> tuple[PacketInput, int]:
        """Everything the build needs from the vault, in memory, and the limit in bytes (the
        packet's ``limit_mb`` unless ``limit_bytes`` is given). Raises :class:`PacketRefused`."""
        packet = self.get(packet_id)
        problems = self.problems(packet)
        if problems:
            raise PacketRefused(problems)
        limit = limit_bytes or int(float(packet.data.get("limit_mb") or 25) * 1_000_000) or DEFAULT_LIMIT
        return self._input(packet), limit

    def record_built(self, packet_id: str, built: BuiltPacket) -> Record:
        """Store what was built in the packet's ``built`` (not for a filed packet: it is frozen)."""
        packet = self.get(packet_id)
        if packet.data.get("filed_on"):
            return packet
        summary = {
            "at": now_iso(),
            "pages": built.pages,
            "parts": [
                {
                    "name": p.name,
                    "sha256": hashlib.sha256(p.data).hexdigest(),
                    "size": len(p.data),
                    "first_page": p.first_page,
                    "last_page": p.last_page,
                }
                for p in built.parts
            ],
            "index": [dict(e.__dict__) for e in built.index],
        }
        return self.store.update(packet_id, {**packet.data, "built": summary})

    def _input(self, packet: Record) -> PacketInput:
        from desktop.case.casefile import export_case
        from desktop.documents.declaration import court_of
        from desktop.documents.layout import a_number_display, client_name, client_sex, is_detained

        data = packet.data
        lang = data.get("lang") or "en"
        case = export_case(self.store, packet.client_id, documents=None)
        court = court_of(case, lang)
        hearing = data.get("hearing") or {}
        when = generated.format_day(hearing.get("date"), lang)
        if when and hearing.get("time"):
            when = translator(lang)(generated.HEARING_AT).format(date=when, time=hearing["time"])
        cover = generated.Cover(
            name=client_name(case),
            a_number=a_number_display(case),
            detained=is_detained(case),
            sex=client_sex((case.get("client") or {}).get("gender")),
            place=str(data.get("court") or court.place),
            judge=str(hearing.get("judge") or court.judge),
            hearing=when or court.next_hearing,
            title=str(data["title"]),
        )
        numbering = data.get("numbering") or "letters"
        labels = [label_for(n, numbering) for n in range(len(data["exhibits"]))]
        exhibits = []
        for label, exhibit in zip(labels, data["exhibits"], strict=True):
            pdfs = self._exhibit_pdfs(packet, case, exhibit["source"], label, labels, data["exhibits"])
            exhibits.append(ExhibitInput(label, str(exhibit.get("description") or ""), pdfs))
        plain = unicodedata.normalize("NFKD", cover.name).encode("ascii", "ignore").decode("ascii")
        name = (re.sub(r"[^A-Za-z0-9]+", "_", plain).strip("_") or "Packet") + "_Evidence"
        return PacketInput(
            lang=lang, cover=cover, exhibits=exhibits, service=data.get("service"), basename=name
        )

    def _exhibit_pdfs(
        self,
        packet: Record,
        case: dict[str, Any],
        source: str,
        label: str,
        labels: list[str],
        exhibits: list[Any],
    ) -> list[bytes]:
        if source == "declaration":
            from desktop.drafting.declarations import DeclarationService
            from desktop.documents.declaration import render_declaration

            version = self._signed_declaration(packet.client_id)
            declaration = DeclarationService(self.store).render_input(packet.client_id, version.number)
            return [render_declaration(case, "en", declaration=declaration, conformed=True)]
        if source == "timeline":
            from desktop.documents.source_labels import ExhibitRef
            from desktop.documents.timeline import render_timeline

            refs = {}
            for other, ex in zip(labels, exhibits, strict=True):
                if ex["source"] == "declaration":  # the timeline's sources cite the declaration's exhibit
                    refs["declaration"] = ExhibitRef(other)
            exhibit_label = translator("en")(generated.EXHIBIT).format(label=label)
            return [render_timeline(case, "en", exhibit_label=exhibit_label, exhibits=refs)]
        document = self._document(packet.client_id, source)
        assert document is not None  # problems() said so
        content, media = self.documents.current(document)
        pdfs = [content if media == "pdf" else image_pdf(content)]
        if document.data.get("language") != "en":
            pdfs.append(self.documents.translation_pdf(document.id))
        return pdfs

    # -- saving ----------------------------------------------------------------------------------
    def save(self, built: BuiltPacket, folder: Path, basename: str) -> list[Path]:
        """Write the part(s) into ``folder`` as ``basename.pdf`` or ``basename_Part1.pdf``, …:
        atomically, readable by the owner only, never inside the vault folder."""
        folder = Path(folder).resolve()
        vault = Path(self.store.vault.path).resolve()
        if folder == vault or vault in folder.parents:
            raise ValidationError(INSIDE_VAULT, field="out")
        basename = re.sub(r"[/\\\x00-\x1f]", "_", basename).strip(". ") or "packet"
        out = []
        for number, part in enumerate(built.parts, start=1):
            target = folder / part_name(basename, number, len(built.parts))
            fsutil.write_atomic(target, part.data)
            os.chmod(target, 0o600)
            out.append(target)
        return out


def image_pdf(data: bytes) -> bytes:
    """An image (JPEG, PNG, TIFF; every frame) as a PDF, a page a frame, at a resolution that
    fits the frame on a Letter page with half-inch margins."""
    from PIL import Image, ImageSequence

    frames = []
    with Image.open(io.BytesIO(data)) as image:
        for frame in ImageSequence.Iterator(image):
            frames.append(frame.convert("L" if frame.mode in ("1", "L", "I;16") else "RGB"))
    first = frames[0]
    width, height = first.size
    across, down = (10.0, 7.5) if width > height else (7.5, 10.0)
    dpi = max(width / across, height / down, 72.0)
    out = io.BytesIO()
    first.save(out, "PDF", resolution=dpi, save_all=True, append_images=frames[1:], quality=90)
    return out.getvalue()


def today() -> str:
    return dt.date.today().isoformat()
