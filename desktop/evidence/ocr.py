"""Text recognition of scanned pages with tesseract (Spanish and English), with no file on disk.

Each page is rendered in memory at 300 dpi (PDF pages with pypdfium2; an image page as it is),
turned to grayscale, encoded as PNG and piped to ``tesseract stdin stdout -l spa+eng``; the text
comes back on its standard output. No temporary file is made by Declara or by tesseract.

tesseract is an optional Debian package (tesseract-ocr, with tesseract-ocr-spa and
tesseract-ocr-eng for the language data): :func:`available` says whether it can run, and
:func:`unavailable_reason` what to install when it cannot. :func:`recognize` is meant for a worker
thread: it reports ``progress(done, total)`` after each page, checks ``cancelled()`` before each page
(and every fraction of a second while tesseract works, stopping it), and raises
:class:`OcrCancelled` or :class:`OcrFailed`.

tesseract runs with ``OMP_THREAD_LIMIT=1``: its OpenMP threads make one page slower, not faster, on a
laptop's few cores (measured 3–4× slower on two cores), and a worker should leave the window a core.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from typing import IO

from desktop.errors import DeclaraError
from desktop.evidence import pages
from desktop.evidence.pages import Media
from desktop.i18n import N_, _

OCR_DPI = 300
LANGUAGES = ("spa", "eng")
PAGE_TIMEOUT = 180.0  # seconds for one page; a dense 300 dpi page takes a few
POLL_SECONDS = 0.2
PACKAGES = "tesseract-ocr tesseract-ocr-spa tesseract-ocr-eng"

NOT_INSTALLED = N_(
    "Text recognition needs tesseract with its Spanish and English language data, which is not "
    "installed. On Debian or Ubuntu install it with: sudo apt-get install {packages}"
)
LANGUAGES_MISSING = N_(
    "Text recognition needs tesseract's Spanish and English language data; {languages} is missing. "
    "On Debian or Ubuntu install it with: sudo apt-get install {packages}"
)
PAGE_FAILED = N_("Text recognition failed on page {page} of {pages}; no text was kept.")
PAGE_TIMED_OUT = N_(
    "Text recognition stopped on page {page} of {pages}: it took more than {seconds} seconds. "
    "No text was kept."
)
PAGE_UNREADABLE = N_("Page {page} of {pages} could not be read for text recognition; no text was kept.")
CANCELLED = N_("Text recognition was cancelled; no text was kept.")


class OcrFailed(DeclaraError):
    """tesseract is missing, failed or took too long; ``detail`` holds its own output, if any."""

    def __init__(self, message: str, detail: str = "", **params: object) -> None:
        super().__init__(message, **params)
        self.detail = detail


class OcrCancelled(DeclaraError):
    default_message = CANCELLED


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


_languages_cache: dict[str, frozenset[str]] = {}


def _installed_languages(program: str) -> frozenset[str]:
    """The languages ``tesseract --list-langs`` names (cached per program path)."""
    if program not in _languages_cache:
        try:
            result = subprocess.run([program, "--list-langs"], capture_output=True, timeout=30,
                                    env=_environment(), check=False)
        except (OSError, subprocess.SubprocessError):
            return frozenset()
        lines = (result.stdout + result.stderr).decode("utf-8", "replace").splitlines()
        _languages_cache[program] = frozenset(
            line.strip() for line in lines if line.strip() and " " not in line.strip()
        )
    return _languages_cache[program]


def _missing() -> tuple[str, ...] | None:
    """None when tesseract is missing, else the missing languages (empty when all are there)."""
    program = shutil.which("tesseract")
    if program is None:
        return None
    installed = _installed_languages(program)
    return tuple(lang for lang in LANGUAGES if lang not in installed)


def available() -> bool:
    """tesseract is on the PATH with the Spanish and English language data."""
    return _missing() == ()


def unavailable_reason() -> str | None:
    """Why text recognition cannot run, in the interface language; None when it can."""
    missing = _missing()
    if missing == ():
        return None
    if missing is None:
        return _(NOT_INSTALLED).format(packages=PACKAGES)
    return _(LANGUAGES_MISSING).format(languages=", ".join(missing), packages=PACKAGES)


def _page_png(data: bytes, media: Media, index: int, total: int) -> bytes:
    try:
        image = pages.render_page(data, media, index, dpi=OCR_DPI, grayscale=True)
    except (DeclaraError, OSError, ValueError, RuntimeError) as exc:
        raise OcrFailed(PAGE_UNREADABLE, page=index + 1, pages=total) from exc
    dpi = (OCR_DPI, OCR_DPI) if media == "pdf" else image.info.get("dpi")
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1, **({"dpi": dpi} if dpi else {}))
    return out.getvalue()


def _pump(source: IO[bytes], sink: dict[str, bytes], key: str) -> None:
    try:
        sink[key] = source.read()
    except (OSError, ValueError):
        sink[key] = b""


def _feed(target: IO[bytes], data: bytes) -> None:
    try:
        target.write(data)
    except (OSError, ValueError):
        pass  # tesseract stopped reading (it failed or was stopped): its exit status tells
    finally:
        try:
            target.close()
        except OSError:
            pass


def _run_tesseract(png: bytes, index: int, total: int, cancelled: Callable[[], bool]) -> str:
    """One page through tesseract: the PNG fed on stdin and the text read from stdout by threads
    (``communicate()`` cannot be resumed after a timeout without losing the rest of its input),
    while this thread waits in short steps to notice a cancel or the page's time running out."""
    command = [shutil.which("tesseract") or "tesseract", "stdin", "stdout", "-l", "+".join(LANGUAGES)]
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, env=_environment())
    except OSError as exc:
        raise OcrFailed(NOT_INSTALLED, packages=PACKAGES) from exc
    assert process.stdin and process.stdout and process.stderr  # all three are pipes
    output: dict[str, bytes] = {}
    threads = [
        threading.Thread(target=_feed, args=(process.stdin, png), daemon=True),
        threading.Thread(target=_pump, args=(process.stdout, output, "out"), daemon=True),
        threading.Thread(target=_pump, args=(process.stderr, output, "err"), daemon=True),
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + PAGE_TIMEOUT
    try:
        while True:
            try:
                process.wait(timeout=POLL_SECONDS)
                break
            except subprocess.TimeoutExpired:
                if cancelled():
                    raise OcrCancelled() from None
                if time.monotonic() > deadline:
                    raise OcrFailed(PAGE_TIMED_OUT, page=index + 1, pages=total,
                                    seconds=int(PAGE_TIMEOUT)) from None
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for thread in threads:
            thread.join()
        process.stdout.close()
        process.stderr.close()
    if process.returncode != 0:
        detail = output.get("err", b"").decode("utf-8", "replace")[-2000:]
        raise OcrFailed(PAGE_FAILED, detail=detail, page=index + 1, pages=total)
    text = output.get("out", b"").decode("utf-8", "replace").replace("\r\n", "\n")
    return text.rstrip("\f").strip("\n")


def recognize(data: bytes, media: Media, *, progress: Callable[[int, int], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> str:
    """The text of every page, pages joined by "\\f"; OcrCancelled / OcrFailed on the way."""
    is_cancelled = cancelled or (lambda: False)
    if not available():
        raise OcrFailed(NOT_INSTALLED if _missing() is None else LANGUAGES_MISSING,
                        packages=PACKAGES, languages=", ".join(_missing() or LANGUAGES))
    try:
        total = pages.page_count(data, media)
    except DeclaraError as exc:
        raise OcrFailed(PAGE_UNREADABLE, page=1, pages=1) from exc
    texts = []
    for index in range(total):
        if is_cancelled():
            raise OcrCancelled()
        png = _page_png(data, media, index, total)
        texts.append(_run_tesseract(png, index, total, is_cancelled))
        if progress is not None:
            progress(index + 1, total)
    return "\f".join(texts)
