"""Text recognition with tesseract (desktop.evidence.ocr): words found, progress, cancel, no files.

The documents are fictional scans made in memory (bench/scans.py): image-only PDFs, so every word
found was recognized. These tests need tesseract with the spa and eng data (`make sysdeps`).
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import time
import unicodedata

import pytest

from bench import scans
from desktop.evidence import intake, ocr, pages
from desktop.i18n import using_language

NAME = "Rosa Amelia Portillo Meza"

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None,
                                     reason="tesseract is not installed (make sysdeps)")


def _plain(text: str) -> str:
    """Lower case, accents off, spaces collapsed: how a search compares."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@pytest.fixture(scope="module")
def certificate() -> bytes:
    return scans.clearance_certificate_pdf(NAME, rotated=2, noise=True)


@pytest.fixture(scope="module")
def three_pages() -> bytes:
    return scans.scanned_pdf(3, seed=7)


@needs_tesseract
def test_tesseract_with_spanish_and_english_is_available_here():
    assert ocr.available()
    assert ocr.unavailable_reason() is None


@needs_tesseract
def test_a_noisy_tilted_scan_of_a_clearance_is_read(certificate):
    assert intake.inspect_bytes(certificate, "solvencia.pdf").text == ""  # no text to copy: a picture
    seen = []
    text = ocr.recognize(certificate, "pdf", progress=lambda done, total: seen.append((done, total)))
    plain = _plain(text)
    assert "antecedentes" in plain
    assert "solvencia" in plain
    assert _plain(NAME) in plain
    assert seen == [(1, 1)]


@needs_tesseract
def test_an_image_page_is_read_too(certificate):
    picture = pages.render_page(certificate, "pdf", 0, dpi=200, grayscale=True)
    out = io.BytesIO()
    picture.save(out, "PNG", dpi=(200, 200))
    assert "antecedentes policiales" in _plain(ocr.recognize(out.getvalue(), "png"))


@needs_tesseract
def test_progress_is_reported_after_each_page_and_pages_are_kept_apart(three_pages):
    seen = []
    text = ocr.recognize(three_pages, "pdf", progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    parts = text.split("\f")
    assert len(parts) == 3
    for number, part in enumerate(parts, start=1):
        assert f"informe 7-00{number}" in _plain(part)  # each page's own heading, in order


@needs_tesseract
def test_cancel_stops_between_pages(three_pages):
    seen = []
    with pytest.raises(ocr.OcrCancelled):
        ocr.recognize(three_pages, "pdf", progress=lambda done, total: seen.append((done, total)),
                      cancelled=lambda: bool(seen))
    assert seen == [(1, 3)]  # the first page was read, then nothing more
    with pytest.raises(ocr.OcrCancelled):
        ocr.recognize(three_pages, "pdf", progress=lambda *a: seen.append(a), cancelled=lambda: True)
    assert seen == [(1, 3)]


@needs_tesseract
def test_recognition_creates_no_file(certificate, tmp_path, monkeypatch):
    system_tmp = tempfile.gettempdir()
    empty_tmp = tmp_path / "tmp"
    work = tmp_path / "cwd"
    empty_tmp.mkdir()
    work.mkdir()
    monkeypatch.setenv("TMPDIR", str(empty_tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)  # gettempdir() reads TMPDIR again
    monkeypatch.chdir(work)
    assert tempfile.gettempdir() == str(empty_tmp)
    before = set(os.listdir(tempfile.gettempdir())), set(os.listdir(os.getcwd()))
    system_before = {n for n in os.listdir(system_tmp) if "tess" in n.lower()}
    text = ocr.recognize(certificate, "pdf")
    assert "antecedentes" in _plain(text)
    after = set(os.listdir(tempfile.gettempdir())), set(os.listdir(os.getcwd()))
    assert before == after == (set(), set())
    assert {n for n in os.listdir(system_tmp) if "tess" in n.lower()} == system_before


def _fake_tesseract(folder, languages: str, exit_code: int, *, sleep: int = 0) -> None:
    """A stand-in tesseract: lists ``languages``; reads the page, then fails (or sleeps)."""
    folder.mkdir()
    program = folder / "tesseract"
    work = f"exec sleep {sleep}" if sleep else f"echo 'broken' >&2; exit {exit_code}"
    program.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "--list-langs" ]; then printf \'List of available languages (2):\\n'
        f"{languages}\\n'; exit 0; fi\n"
        f"cat >/dev/null; {work}\n"
    )
    program.chmod(0o700)


def test_without_tesseract_the_reason_names_the_debian_packages(tmp_path, monkeypatch, certificate):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no tesseract
    assert not ocr.available()
    reason = ocr.unavailable_reason()
    assert "tesseract-ocr tesseract-ocr-spa tesseract-ocr-eng" in reason
    with using_language("es"):
        spanish = ocr.unavailable_reason()
    assert "tesseract-ocr-spa" in spanish and spanish != reason  # in the interface language
    with pytest.raises(ocr.OcrFailed) as caught:
        ocr.recognize(certificate, "pdf")
    assert caught.value.msgid == ocr.NOT_INSTALLED


def test_missing_language_data_is_named(tmp_path, monkeypatch):
    _fake_tesseract(tmp_path / "bin", "eng\\nosd", 0)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert not ocr.available()
    assert "spa is missing" in ocr.unavailable_reason()


def test_a_failing_tesseract_is_an_ocr_failure_not_a_crash(tmp_path, monkeypatch, certificate):
    _fake_tesseract(tmp_path / "bin", "eng\\nspa", 3)
    monkeypatch.setenv("PATH", str(tmp_path / "bin") + os.pathsep + os.environ["PATH"])
    assert ocr.available()
    with pytest.raises(ocr.OcrFailed) as caught:
        ocr.recognize(certificate, "pdf")
    assert caught.value.msgid == ocr.PAGE_FAILED
    assert caught.value.params == {"page": 1, "pages": 1}
    assert "broken" in caught.value.detail


def test_cancel_stops_a_page_in_progress(tmp_path, monkeypatch, certificate):
    _fake_tesseract(tmp_path / "bin", "eng\\nspa", 0, sleep=60)
    monkeypatch.setenv("PATH", str(tmp_path / "bin") + os.pathsep + os.environ["PATH"])
    start = time.monotonic()
    seen = []
    with pytest.raises(ocr.OcrCancelled):
        ocr.recognize(certificate, "pdf", progress=lambda *a: seen.append(a),
                      cancelled=lambda: time.monotonic() - start > 1)
    assert time.monotonic() - start < 10  # tesseract was stopped, not waited for
    assert seen == []


def test_a_page_that_takes_too_long_is_stopped(tmp_path, monkeypatch, certificate):
    _fake_tesseract(tmp_path / "bin", "eng\\nspa", 0, sleep=60)
    monkeypatch.setenv("PATH", str(tmp_path / "bin") + os.pathsep + os.environ["PATH"])
    monkeypatch.setattr(ocr, "PAGE_TIMEOUT", 1.0)
    start = time.monotonic()
    with pytest.raises(ocr.OcrFailed) as caught:
        ocr.recognize(certificate, "pdf")
    assert time.monotonic() - start < 10
    assert caught.value.msgid == ocr.PAGE_TIMED_OUT and caught.value.params["page"] == 1
