"""The filing packet (the Packet tab): its fields and exhibits stored as they change, the default
exhibits, building in a worker thread with the check, the preview from memory, saving the parts to
a folder the user chooses, and marking the packet filed (a filed packet is frozen: a change makes a
new version once the user agrees). The work is done by ``desktop.filing.packet.PacketService``;
this controller asks, shows and reports."""

from __future__ import annotations

import copy
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog

from desktop.errors import DeclaraError
from desktop.i18n import _
from ui import dialogs, ops
from ui.controllers.base import Controller, needs_client, needs_vault

if TYPE_CHECKING:
    from ui.models.packet import ExhibitInfo, ExhibitRow
    from desktop.case.model import Record
    from ui.main_window import MainWindow
    from ui.pages.packet import PacketTab
    from ui.session import Session

#: The kinds whose changes may change what the tab shows (titles, pages, translations, problems).
WATCHED = frozenset({"packet", "document", "declaration", "paragraph", "event", "allegation", "rebuttal"})


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    target = data
    for part in parts[:-1]:
        inner = target.get(part)
        if not isinstance(inner, dict):
            inner = target[part] = {}
        target = inner
    target[parts[-1]] = value


def file_basename(client: Record) -> str:
    """A plain ASCII name for the parts: ``Martinez_Nunez_Jose_Evidence``."""
    data = client.data
    words = f"{data.get('family_names') or ''} {data.get('given_names') or ''}".split()[:4]
    ascii_words = [
        re.sub(r"[^A-Za-z0-9-]", "", unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode())
        for w in words
    ]
    return "_".join([w for w in ascii_words if w] + ["Evidence"])


class PacketController(Controller):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.packet: Record | None = None  # the client's packet shown (the last one), if any
        self.built: Any = None  # the BuiltPacket previewed, checked, not yet saved
        self.saved_paths: list[Path] = []

    # -- wiring ----------------------------------------------------------------------------------
    @property
    def tab(self) -> PacketTab:
        return self.window.record.packet

    @property
    def service(self) -> Any:
        """The open session's packet service."""
        session = self.session
        assert session is not None
        return session.packets

    def connect_views(self) -> None:
        tab = self.tab
        tab.field_changed.connect(self.edit_field)
        tab.exhibits_changed.connect(self.set_exhibits)
        tab.add_requested.connect(self.add_exhibits)
        tab.default_requested.connect(self.default_exhibits)
        tab.build_requested.connect(self.build)
        tab.save_requested.connect(self.save)
        tab.filed_requested.connect(self.mark_filed)
        self.window.clients.client_shown.connect(self.load)

    def session_changed(self, session: Session | None) -> None:
        self.packet, self.built = None, None
        if session is None:
            if self.window._workspace is not None:
                self.tab.clear()
            return
        session.records_changed.connect(self._records_changed)

    def _records_changed(self, client_id: str, kind: str) -> None:
        if kind in WATCHED and self.is_shown(client_id):
            self.load(client_id)

    @staticmethod
    def section_index() -> int:
        from ui.sections import SECTIONS

        return next(i for i, (key, _title) in enumerate(SECTIONS) if key == "packet")

    # -- showing ---------------------------------------------------------------------------------
    @needs_vault
    def load(self, client_id: str) -> None:
        """(Re)load the client's last packet; a client with none is shown a draft (stored on the
        first change)."""
        session = self.session
        assert session is not None
        if self.packet is not None and self.packet.client_id != client_id:
            self.built = None
            self.tab.preview.clear()
        packets = ops.run_op(self.window, lambda: self.service.packets(client_id), title=_("Not shown"))
        if packets is None:
            return
        self.packet = packets[-1] if packets else None
        data = copy.deepcopy(self.packet.data) if self.packet is not None else self.draft(client_id)
        self.tab.set_packet(data, self.rows(client_id, data.get("exhibits") or []))
        problems: list[str] = []
        if self.packet is not None:
            problems = (
                ops.run_op(self.window, lambda: self.service.problems(self.packet), title=_("Not shown"))
                or []
            )
        self.tab.set_problems(problems)
        self.tab.set_can_save(self.built is not None)

    def draft(self, client_id: str) -> dict[str, Any]:
        """What a new packet starts from: the court, judge and hearing from the client's
        proceedings, the OPLA address remembered for that court."""
        from desktop.filing.packet import DEFAULT_TITLE
        from desktop.filing.settings import service_address

        session = self.session
        assert session is not None
        proceedings = session.get(client_id).data.get("proceedings") or {}
        court = proceedings.get("court") or None
        hearing = proceedings.get("next_hearing")
        day = hearing if isinstance(hearing, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", hearing) else None
        return {
            "title": DEFAULT_TITLE,
            "lang": "en",
            "court": court,
            "hearing": {k: v for k, v in (("date", day), ("judge", proceedings.get("judge"))) if v},
            "filing_party": "respondent",
            "numbering": "letters",
            "exhibits": [],
            "service": {"method": "ecas", "address": service_address(session.vault, court) or ""},
            "limit_mb": 25,
            "filed_on": None,
        }

    def rows(self, client_id: str, entries: list[dict[str, Any]]) -> list[ExhibitRow]:
        from ui.models.packet import ExhibitRow

        return [
            ExhibitRow(str(e.get("source") or ""), str(e.get("description") or ""), self.info(client_id, e))
            for e in entries
        ]

    def info(self, client_id: str, entry: dict[str, Any]) -> ExhibitInfo:
        """What the table says of an exhibit's source (its title, pages, translation)."""
        from desktop.case.names import display_name
        from ui.models.packet import ExhibitInfo

        session = self.session
        assert session is not None
        source = str(entry.get("source") or "")
        if source == "declaration":
            version = session.declarations.current(client_id)
            name = display_name(session.get(client_id).data)
            if version is None:
                return ExhibitInfo(title=_("Declaration of {name}").format(name=name), missing=True)
            state = _("signed") if version.signed else _("not signed")
            return ExhibitInfo(title=_("Declaration of {name} ({state})").format(name=name, state=state))
        if source == "timeline":
            return ExhibitInfo(title=_("Timeline of events"))
        try:
            document = session.get(source.split(":", 1)[-1])
        except DeclaraError:
            return ExhibitInfo(missing=True)
        if document.deleted or document.kind != "document" or document.client_id != client_id:
            return ExhibitInfo(missing=True)
        data = document.data
        translation: bool | None = None
        if data.get("language") != "en":
            translation = not self.service_documents().translation_missing(document)
        return ExhibitInfo(
            title=str(data.get("title") or ""), pages=data.get("pages"), translation=translation
        )

    def service_documents(self) -> Any:
        session = self.session
        assert session is not None
        return session.documents

    # -- storing ---------------------------------------------------------------------------------
    def current_data(self) -> dict[str, Any]:
        assert self.client is not None
        return copy.deepcopy(self.packet.data) if self.packet is not None else self.draft(self.client.id)

    def store(self, data: dict[str, Any]) -> bool:
        """Store the packet as ``data`` (made on the first change). A filed packet is not changed:
        the user is asked whether to make a new version with the change."""
        from desktop.filing.packet import DEFAULT_TITLE

        session, client = self.session, self.client
        assert session is not None and client is not None
        packet = self.packet
        data = {**data, "built": None}  # what was built no longer matches
        if packet is not None and packet.data.get("filed_on"):
            if not dialogs.confirm(
                self.window,
                _("Packet filed"),
                _(
                    "This packet was filed on {date} and is kept as filed. Make a new version with "
                    "this change?"
                ).format(date=packet.data["filed_on"]),
            ):
                self.load(client.id)  # the fields show the filed packet again
                return False
            data["filed_on"] = None

            def change() -> Any:
                with session.vault.transaction():  # the new version and its change, or neither
                    fresh = self.service.new_version(packet.id)
                    return self.service.update(fresh.id, data)

        elif packet is None:

            def change() -> Any:
                fields = {k: v for k, v in data.items() if k not in ("title", "exhibits", "filed_on")}
                return self.service.create(
                    client.id,
                    title=data.get("title") or DEFAULT_TITLE,
                    exhibits=data.get("exhibits") or [],
                    **fields,
                )

        else:

            def change() -> Any:
                return self.service.update(packet.id, data)

        self.built = None
        self.tab.preview.clear()
        try:
            record = session.change("packet", client.id, change)
        except DeclaraError as exc:  # a value refused, or filed meanwhile (a sync)
            ops.report(self.window, exc)
            self.load(client.id)
            return False
        self.packet = record
        return True

    @needs_client
    def edit_field(self, path: str, value: Any) -> None:
        from desktop.filing.settings import remember_service_address, service_address

        session = self.session
        assert session is not None
        data = self.current_data()
        _set(data, path, value)
        if path == "service.address" and data.get("court"):
            ops.run_op(
                self.window, lambda: remember_service_address(session.vault, data["court"], value or "")
            )
        if path == "court" and not (data.get("service") or {}).get("address"):
            remembered = service_address(session.vault, value)
            if remembered:
                _set(data, "service.address", remembered)
        self.store(data)

    @needs_client
    def set_exhibits(self, entries: list[dict[str, Any]]) -> None:
        data = self.current_data()
        data["exhibits"] = [dict(e) for e in entries]
        self.store(data)

    @needs_client
    def default_exhibits(self) -> None:
        client = self.client
        assert client is not None
        entries = ops.run_op(
            self.window, lambda: self.service.default_exhibits(client.id), title=_("Not shown")
        )
        if entries is None:
            return
        data = self.current_data()
        if data.get("exhibits") and not dialogs.confirm(
            self.window,
            _("Default exhibits"),
            _("Replace the {count} exhibits in the list with the default ones?").format(
                count=len(data["exhibits"])
            ),
        ):
            return
        data["exhibits"] = entries
        if self.store(data):
            self.tab.select_row(0)
            self.tab.table.setFocus()

    @needs_client
    def add_exhibits(self) -> None:
        from ui.packet_dialogs import AddExhibitsDialog

        session, client = self.session, self.client
        assert session is not None and client is not None
        data = self.current_data()
        present = {e.get("source") for e in data.get("exhibits") or []}
        options: list[tuple[str, str]] = []
        for source in ("declaration", "timeline"):
            if source in present:
                continue
            info = self.info(client.id, {"source": source})
            if not info.missing:
                options.append((source, info.title))
        for document in self.service_documents().documents(client.id):
            source = f"document:{document.id}"
            if source not in present:
                title = str(document.data.get("title") or "")
                options.append((source, _("Document: {title}").format(title=title)))
        dialog = AddExhibitsDialog(options, self.window)
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        chosen = dialog.chosen()
        if not chosen:
            return
        # the index's lines as the core words them, in the packet's language (the court's)
        lang = data.get("lang") or "en"
        added = ops.run_op(
            self.window,
            lambda: [self.service.exhibit_from_token(client.id, s, lang) for s in chosen],
            title=_("Not saved"),
        )
        if added is None:
            return
        data["exhibits"] = list(data.get("exhibits") or []) + added
        if self.store(data):
            self.tab.select_row(len(data["exhibits"]) - len(chosen))

    # -- building, saving, filing ----------------------------------------------------------------
    @needs_client
    def build(self) -> None:
        """Build in a worker thread; the core checks what it built (desktop.filing.check) before
        handing it over, so a check failure arrives as the failure, in the interface language."""
        session, client = self.session, self.client
        assert session is not None and client is not None
        if ops.busy():
            self.status(lambda: _("Wait for the work under way to finish."), 6000)
            return
        session.flush()
        if self.packet is None:
            return
        packet_id = self.packet.id
        service = self.service
        self.built = None
        self.tab.set_can_save(False)
        self.tab.set_busy(True)
        self.window.hold(True, _("Building the packet…"))
        ops.run_op(
            self.window,
            lambda: service.build(packet_id),  # the limit is the packet's own (limit_mb)
            lambda built: self._built(session, client.id, built),
            background=True,
            on_failure=self._build_failed,
        )

    def _built(self, session: Session, client_id: str, built: Any) -> None:
        self.window.hold(False)
        self.tab.set_busy(False)
        if session is not self.session or not self.is_shown(client_id):
            return  # locked or another client meanwhile: nothing is kept
        self.built = built
        count = len(built.parts)
        self.tab.preview.show_built(
            built,
            lambda: _(
                "Checked: {pages} pages in {parts} file(s); every page number and tab is in place."
            ).format(pages=built.pages, parts=count),
            True,
        )
        session.records_changed.emit(client_id, "packet")  # what the build recorded
        self.tab.set_can_save(self.built is not None)

    def _build_failed(self, error: Exception) -> None:
        self.window.hold(False)
        self.tab.set_busy(False)
        if self.window._workspace is not None:
            self.tab.preview.show_refusal(lambda: ops.describe(error))
        if not isinstance(error, DeclaraError):
            ops.report(self.window, error, _("Not built"))
        else:  # refused (what blocks it) or the check found a fault: said in the preview
            self.status(lambda: _("The packet was not built. Nothing was saved."), 8000)

    @needs_client
    def save(self) -> None:
        client = self.client
        assert client is not None
        built = self.built
        if built is None:
            self.status(lambda: _("Build and preview the packet first."), 6000)
            return
        folder = dialogs.open_folder(self.window, _("Save the packet in a folder"), Path.home())
        if folder is None:
            return

        def write() -> list[Path]:
            with ops.writing():
                return list(self.service.save(built, folder, file_basename(client)))

        paths = ops.run_op(self.window, write, title=_("Not saved"))
        if paths is None:
            return
        self.saved_paths = paths
        lines = [
            _("{name}: pages {first}–{last}").format(name=p.name, first=part.first_page, last=part.last_page)
            for p, part in zip(paths, built.parts, strict=False)
        ]
        dialogs.info(
            self.window,
            _("Packet saved"),
            "\n".join(
                [
                    _("Written to {folder}:").format(folder=folder),
                    *lines,
                    "",
                    _("These files are not encrypted: keep them safe, and delete them once filed."),
                ]
            ),
        )

    @needs_client
    def mark_filed(self) -> None:
        from ui.packet_dialogs import FiledDialog

        session, client = self.session, self.client
        assert session is not None and client is not None
        if self.packet is None:
            return
        if self.packet.data.get("filed_on"):
            filed = self.packet.data["filed_on"]
            self.status(lambda: _("This packet was filed on {date}.").format(date=filed), 6000)
            return
        dialog = FiledDialog(self.window)
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        packet_id, day = self.packet.id, dialog.value()
        record = ops.run_op(
            self.window,
            lambda: session.change("packet", client.id, lambda: self.service.mark_filed(packet_id, day)),
        )
        if record is not None:
            self.packet = record
            self.status(lambda: _("Marked as filed on {date}.").format(date=day), 6000)

    # -- language --------------------------------------------------------------------------------
    def retranslate(self) -> None:
        client = self.client
        if client is not None and self.window._workspace is not None:
            self.load(client.id)  # the titles and problems in the new language; the preview stays
