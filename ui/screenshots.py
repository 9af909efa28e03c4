"""``make screenshots``: the main screens, as a user's display shows them, into
packaging/screenshots/ (PNG).

``make screenshots`` runs this on an X display (Xvfb, 1366 × 768, a common laptop screen) with Qt's
``xcb`` platform and the style Qt chooses there, as on a Debian desktop: the window is placed as on a
first run (maximised), and each picture is read back from the display (``QScreen.grabWindow``), not
rendered offscreen. Without a display it says how to run it. ``QT_QPA_PLATFORM=offscreen`` still
works (pictures rendered by the widgets themselves), for a quick look.

Everything shown is fictional demo data, in a throwaway vault under a temporary folder. The
test-only cheap key derivation is used so the script runs in seconds; the screens are the same.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.language import LanguageManager
    from ui.main_window import MainWindow

def main(out: str | None = None) -> int:
    if not os.environ.get("QT_QPA_PLATFORM") and not os.environ.get("DISPLAY"):
        print("No display: run `make screenshots` (it starts Xvfb), or set QT_QPA_PLATFORM=offscreen.")
        return 2
    from PySide6.QtWidgets import QApplication

    from desktop.vault import keyheader as kh
    from desktop.demo import demo_passphrase
    from desktop.demo import create_demo_vault
    from ui.app import load_stylesheet
    from ui.language import LanguageManager
    from ui.main_window import MainWindow
    from ui.settings import Settings

    target = Path(out or Path(__file__).resolve().parents[1] / "packaging" / "screenshots")
    target.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    style = app.style().name()  # the style Qt chose for this platform (before Declara's style sheet)
    app.setStyleSheet(load_stylesheet())
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        policy = kh.unsafe_test_policy()
        languages = LanguageManager(app)
        languages.set_language("en")
        window = MainWindow(Settings(tmpdir / "settings.ini"), languages, policy, demo_folder=tmpdir)
        window.show_placed()  # as on a first run: maximised on a laptop's screen
        on_display = app.platformName() == "xcb"
        print(f"platform {app.platformName()}, style {style}, screen "
              f"{window.screen().size().width()} x {window.screen().size().height()}")

        def shot(name: str) -> None:
            from PySide6.QtTest import QTest

            QTest.qWait(120)  # the layout settles, the display is drawn
            picture = window.screen().grabWindow(window.winId()) if on_display else window.grab()
            picture.save(str(target / f"{name}.png"))
            print(target / f"{name}.png")

        window.start(tmpdir / "none.declara")
        shot("01-welcome")
        window.welcome.passphrase.setText("password2024!")
        shot("02-welcome-weak-passphrase")
        window.welcome.passphrase.clear()

        vault = tmpdir / "demo.declara"
        passphrase = demo_passphrase()
        create_demo_vault(vault, passphrase, policy)
        window.vault.show_unlock(vault, demo_passphrase=passphrase)
        shot("03-unlock")

        from desktop.vault.database import open_vault, unlock

        window.vault.open_session(open_vault(vault, unlock(vault, passphrase, policy)))
        shot("04-client-list")
        window.client_list.search.setText("jose")
        window.client_list.flush_search()
        shot("05-search-jose")
        window.client_list.search.clear()
        window.client_list.flush_search()
        client_id = window.client_model.client_at(0).id
        for row in range(window.client_model.rowCount()):
            if window.client_model.client_at(row).given_names.startswith("María"):
                client_id = window.client_model.client_at(row).id
        window.clients.open_client(client_id)
        shot("06-client-record")
        window.record.tabs.setCurrentIndex(2)
        shot("07-family")
        window.record.tabs.setCurrentIndex(3)
        shot("08-allegations")
        window.record.tabs.setCurrentIndex(4)
        shot("09-foia")
        window.record.tabs.setCurrentIndex(0)
        languages.set_language("es")
        shot("10-client-record-es")
        window.record.tabs.setCurrentIndex(3)
        shot("11-allegations-es")
        window.clients.show_list()
        shot("12-client-list-es")
        languages.set_language("en")
        window.lock()
        shot("13-locked")
        from ui import ops

        while ops.busy() or window.vault._closing is not None:  # the lock's backup, then the close
            app.processEvents()
            time.sleep(0.01)

        # Visit mode: José, interviewed in Spanish with an interpreter, 42 minutes into 60.
        from datetime import datetime, timedelta

        from ui import dialogs

        started = datetime(2026, 11, 25, 9, 0)
        window.clock = lambda: started
        window.vault.path = vault
        window.vault.open_session(open_vault(vault, unlock(vault, passphrase, policy)))
        for row in range(window.client_model.rowCount()):
            if window.client_model.client_at(row).given_names.startswith("José"):
                window.clients.open_client(window.client_model.client_at(row).id)

        def fill(dialog: object) -> None:
            dialog.interpreter.setText("Rosa Medina")  # type: ignore[attr-defined]

        dialogs.set_next_answer(fill)
        window.visits.start_visit()
        page = window.visit_page
        page.text.setPlainText("José Ángel Martínez Núñez. Me dicen Chepe.")
        page.next_question()
        page.no.setChecked(True)
        for _ in range(7):
            page.next_question()
        window.clock = lambda: started + timedelta(minutes=52)
        page.clock.now = window.clock
        page.update_clock()
        page.text.setPlainText("Sé leer un poco; llegué hasta sexto grado.")
        window.session.flush()
        shot("14-visit")
        languages.set_language("es")
        shot("15-visit-es")
        page.set_bilingual(False)
        shot("16-visit-one-language")
        languages.set_language("en")
        page.set_bilingual(True)
        # a season said by a Salvadoran client: the preview spells out the months in both languages
        assert page.questionnaire is not None
        page._select_row(page.model.row_of("journey.left_date"))  # as a click in the list does
        page.date_edit.setText("en el invierno de 2024")
        shot("20-visit-season")
        window.session.flush()
        window.visits.leave_visit()
        window.record.tabs.setCurrentIndex(4)  # José's requests: a certificate lapsing before the hearing
        window.record.foia.table.selectRow(2)
        shot("26-requests")
        window.record.tabs.setCurrentWidget(window.record.custody)  # days held, authority, the record
        window.record.custody.section.table.selectRow(5)
        shot("27-custody")
        window.record.tabs.setCurrentIndex(6)
        window.record.timeline.table.selectRow(3)
        shot("17-chronology")
        window.record.tabs.setCurrentIndex(7)
        window.record.declaration.table.selectRow(2)
        shot("18-declaration")
        languages.set_language("es")
        shot("19-declaration-es")
        languages.set_language("en")
        documents_shots(window, shot, languages)
        packet_shots(window, shot, languages)
        window.close()
        timeline_page(vault_case(vault, passphrase, policy), target)
    return 0


def documents_shots(window: MainWindow, shot: Callable[[str], None], languages: LanguageManager) -> None:
    """José's Documents tab (a scanned police clearance, an I-213 page) and the viewer."""
    assert window.session is not None and window.record.client is not None
    client_id = window.record.client.id
    service = window.documents.service
    try:
        from bench.scans import clearance_certificate_pdf

        clearance = clearance_certificate_pdf("José Ángel Martínez Núñez", rotated=1.5)
    except ImportError:
        clearance = _letter_pdf(["Constancia de antecedentes policiales", "José Ángel Martínez Núñez"])
    document = service.add(
        client_id,
        clearance,
        filename="solvencia-pnc.pdf",
        kind="police_clearance",
        language="es",
        title="Constancia de antecedentes policiales (PNC)",
    )
    service.add(
        client_id,
        _letter_pdf(["Record of Deportable/Inadmissible Alien", "Narrative", "Disposition"]),
        filename="i-213.pdf",
        kind="i213",
        language="en",
        title="Form I-213 (FOIA response, CBP)",
    )
    links = {
        kind: next(iter(window.session.children(client_id, kind)), None)
        for kind in ("allegation", "rebuttal")
    }
    service.link(document.id, **{kind: r.id for kind, r in links.items() if r is not None})
    window.session.records_changed.emit(client_id, "document")
    window.clients.show_section(window.documents.section_index())
    tab = window.record.documents
    tab.table.selectRow(tab.model.row_of(service.documents(client_id)[0].id))

    def settled(name: str) -> None:
        from PySide6.QtTest import QTest

        QTest.qWait(300)  # the page is drawn again to the view's size once the layout settles
        shot(name)

    settled("21-documents")
    languages.set_language("es")
    settled("22-documents-es")
    languages.set_language("en")
    tab.splitter.setSizes([190, 620])
    tab.viewer.rotate_right.click()
    settled("23-document-viewer")


def packet_shots(window: MainWindow, shot: Callable[[str], None], languages: LanguageManager) -> None:
    """José's filing packet (after documents_shots): the clearance translated, the I-213 added,
    built and previewed from memory, in English and in Spanish."""
    from PySide6.QtTest import QTest

    from ui import ops

    assert window.session is not None and window.record.client is not None
    client_id = window.record.client.id
    documents = window.documents.service
    records = documents.documents(client_id)
    clearance = next(r for r in records if r.data.get("language") == "es")
    documents.set_translation(
        clearance.id,
        text="National Civil Police of El Salvador. Certificate of police record: no record found.",
    )
    documents.set_translator(clearance.id, name="Rosa Medina", address="San Salvador", phone="555-0100")
    window.clients.show_section(window.packet.section_index())
    controller = window.packet
    controller.edit_field(
        "service.address", "DHS/ICE Office of the Principal Legal Advisor, 146 CCA Road, Lumpkin, GA 31815"
    )
    controller.edit_field("service.attorney", "Ana Ejemplo, Esq.")
    controller.edit_field("hearing.judge", "Hon. Marta Ejemplo")
    controller.edit_field("hearing.time", "09:00")
    controller.default_exhibits()
    exhibits = list(window.packet.packet.data["exhibits"]) if window.packet.packet else []
    present = {e["source"] for e in exhibits}
    exhibits += [
        {"source": f"document:{r.id}", "description": r.data.get("title", "")}
        for r in records
        if f"document:{r.id}" not in present
    ]
    controller.set_exhibits(exhibits)
    tab = window.record.packet
    tab.splitter.setSizes([760, 500])
    tab.select_row(1)
    controller.build()
    for _ in range(600):
        QTest.qWait(100)
        if not ops.busy():
            break
    QTest.qWait(300)
    shot("24-packet")
    languages.set_language("es")
    QTest.qWait(300)
    shot("25-packet-es")
    languages.set_language("en")


def _letter_pdf(lines: list[str]) -> bytes:
    """A fictional typed page a line of ``lines`` each (reportlab, in memory)."""
    import io

    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=letter)
    for i, line in enumerate(lines):
        pdf.setFont("Helvetica-Bold" if i == 0 else "Helvetica", 16 if i == 0 else 12)
        pdf.drawString(72, 700 - 28 * i, line)
    pdf.rect(72, 200, 468, 380)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def vault_case(vault: Path, passphrase: str, policy: object) -> dict:
    from desktop.case.casefile import read_case_file
    from desktop.paths import resource_path

    return read_case_file(resource_path("examples", "case-jose.json"))


def timeline_page(case: dict, target: Path) -> None:
    """Page 1 of José's timeline exhibit, as a PNG (QtPdf renders the in-memory PDF)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtPdf import QPdfDocument

    from desktop.documents.timeline import render_timeline

    pdf = render_timeline(case, "en", exhibit_label="Exhibit C")
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    document.render(0, QSize(850, 1100)).save(str(target / "timeline-page1.png"))
    print(target / "timeline-page1.png")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else None))
