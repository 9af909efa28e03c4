"""Issue 16's done-when, end to end: a scanned Spanish clearance certificate is imported, found by a
word OCR reads in it, linked to the allegation it rebuts, shown by the viewer's renderer, carried to
the office in a sync file and back, and exported — and no plaintext of it is anywhere on disk but
the explicit export.

Runs in a subprocess whose HOME, XDG_* and TMPDIR point into one temporary tree, which is then
scanned byte by byte (as ``test_no_plaintext`` does for a GUI session). The certificate is an
image-only PDF (no embedded text), so the search can only find it through OCR.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop.evidence import ocr

REPO = Path(__file__).resolve().parents[2]
NAME = "Rosa Amelia Portillo Meza"

JOURNEY = textwrap.dedent(
    """
    import hashlib, json, os, sys
    from pathlib import Path
    os.umask(0o077)
    home, passphrase = Path(sys.argv[1]), sys.argv[2]
    from bench.scans import clearance_certificate_pdf
    from desktop import sync
    from desktop.case.store import CaseStore
    from desktop.evidence import ocr
    from desktop.evidence.service import DocumentService
    from desktop.vault import keyheader as kh
    from desktop.vault.database import create_vault

    report = {}
    pdf = clearance_certificate_pdf(name=sys.argv[3], rotated=2, noise=True)
    report["sha256"] = hashlib.sha256(pdf).hexdigest()
    downloads = home / "Downloads"
    downloads.mkdir()
    source = downloads / "solvencia-escaneada.pdf"
    source.write_bytes(pdf)  # the scan as the attorney received it

    def vault(name, office=False):
        v = create_vault(home / "Documents" / name, passphrase, kh.unsafe_test_policy())
        if office:
            sync.make_office(v, name="Office")
        else:
            sync.identity(v, name="Laptop")
        return CaseStore(v)

    laptop, office = vault("laptop.declara"), vault("office.declara", office=True)
    for a, b in ((laptop, office), (office, laptop)):
        sync.trust(a.vault, sync.parse_card(json.dumps(sync.identity(b.vault).card()).encode()))

    client = laptop.create("client", {"given_names": "Rosa Amelia", "family_names": "Portillo Meza"})
    allegation = laptop.create(
        "allegation",
        {"kind": "gang_affiliation", "organization": "MS-13",
         "wording": "Subject is a suspected gang member."},
        client_id=client.id,
    )
    docs = DocumentService(laptop)
    doc = docs.add(client.id, source, kind="police_clearance", language="es",
                   title="Constancia de antecedentes policiales")
    source.unlink()  # the import dialog's "delete the original file" (the user chose it)
    report["embedded_text"] = docs.text(doc.id)[0]

    data, media = docs.current(docs.get(doc.id))
    docs.set_text(doc.id, ocr.recognize(data, media), "ocr")
    report["found"] = docs.search("antecedentes policiales") == [(client.id, doc.id)]
    report["found_without_accent"] = (client.id, doc.id) in docs.search("policia nacional civil")
    docs.link(doc.id, allegation=allegation.id)

    # the viewer's renderer: QtPdf over the bytes in memory
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtPdf import QPdfDocument
    app = QGuiApplication([sys.argv[0]])
    buffer = QBuffer(); buffer.setData(QByteArray(data)); buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    view = QPdfDocument(); view.load(buffer)
    image = view.render(0, QSize(612, 792))
    colours = [image.pixelColor(x, y) for x in range(0, 612, 6) for y in range(0, 792, 6)]
    # QtPdf draws the page's ink on a transparent ground: count opaque dark (ink) and light (paper)
    report["viewer_dark_pixels"] = sum(1 for c in colours if c.alpha() > 200 and c.lightness() < 100)
    report["viewer_light_pixels"] = sum(1 for c in colours if c.alpha() > 200 and c.lightness() > 200)

    transfer = home / "Transfer"
    transfer.mkdir()
    office_id = sync.identity(office.vault).device_id
    sync.export_sync(laptop.vault, office_id, out=transfer / "to-office.age")
    sync.import_sync(office.vault, transfer / "to-office.age")
    at_office = DocumentService(office)
    there = at_office.get(doc.id)
    report["office_sha256"] = hashlib.sha256(at_office.original(there)[0]).hexdigest()
    report["office_link"] = there.data["links"]["allegation"] == allegation.id
    report["office_found"] = at_office.search("antecedentes") == [(client.id, doc.id)]
    office.update(doc.id, {**there.data, "title": "Solvencia PNC (revisada en la oficina)"})
    sync.export_sync(office.vault, sync.identity(laptop.vault).device_id, clients=[client.id],
                     out=transfer / "to-laptop.age")
    sync.import_sync(laptop.vault, transfer / "to-laptop.age")
    back = docs.get(doc.id)
    report["back_title"] = back.data["title"]
    report["back_sha256"] = hashlib.sha256(docs.original(back)[0]).hexdigest()

    (home / "Exports").mkdir()
    exported = docs.export(doc.id, home / "Exports" / "solvencia.pdf", original=True)
    report["export"] = str(exported)
    report["export_mode"] = oct(os.stat(exported).st_mode & 0o777)
    for store in (laptop, office):
        store.vault.close()
    print(json.dumps(report))
    """
)


@pytest.mark.skipif(not ocr.available(), reason="tesseract with spa and eng is not installed")
def test_a_clearance_certificate_goes_in_round_trips_and_leaves_no_plaintext(tmp_path, passphrase):
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "TMPDIR": str(home / "tmp"),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(REPO),
    }
    (home / "tmp").mkdir()
    result = subprocess.run(
        [sys.executable, "-c", JOURNEY, str(home), passphrase, NAME],
        capture_output=True,
        text=True,
        env=env,
        cwd=str(home),
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])

    assert report["embedded_text"] == ""  # an image-only scan: only OCR can find its words
    assert report["found"] and report["found_without_accent"]
    # the page is drawn: ink and paper (the scan is a grey-level image, so both are opaque)
    assert report["viewer_dark_pixels"] > 200 and report["viewer_light_pixels"] > 2000
    assert report["office_sha256"] == report["sha256"] and report["office_link"] and report["office_found"]
    assert report["back_title"] == "Solvencia PNC (revisada en la oficina)"
    assert report["back_sha256"] == report["sha256"]
    assert report["export_mode"] == "0o600"

    # No plaintext of the certificate anywhere but the explicit export: its bytes (a window of the
    # scan's image data), and the words of it in any form a program would write them.
    from bench.scans import clearance_certificate_pdf

    pdf = clearance_certificate_pdf(name=NAME, rotated=2, noise=True)
    windows = [pdf[len(pdf) // 2 : len(pdf) // 2 + 48], pdf[len(pdf) // 3 : len(pdf) // 3 + 48]]
    words = [NAME, "Portillo Meza", "ANTECEDENTES POLICIALES", "antecedentes policiales", "Solvencia PNC"]
    needles = windows + [w.encode(enc) for w in words for enc in ("utf-8", "utf-16-le")]
    export = Path(report["export"])
    assert export.read_bytes() == pdf  # the explicit export: the original, exactly
    leaks = []
    scanned = 0
    for path in home.rglob("*"):
        if not path.is_file() or path == export:
            continue
        scanned += 1
        data = path.read_bytes()
        leaks += [f"{path.relative_to(home)}: {needle[:20]!r}" for needle in needles if needle in data]
    assert scanned >= 6, "the vaults, their headers and the sync files were scanned"
    assert not leaks, leaks
