"""Checked, not trusted: the built packet is read back (PDFium) before anything is saved.

- every page carries its stamped number, in sequence ("Page 7 of 300"), alone in the bottom band;
- each index entry's first page is its tab page ("Exhibit C"), its last page comes right before the
  next exhibit's tab (or the proof of service), and no other exhibit's tab lies inside its range;
- the page count equals the index's and the parts' ranges;
- the bookmarks point at the tab pages;
- every part is under the upload limit, and its pages carry the numbers of its range.

Any mismatch raises :class:`PacketCheckFailed` naming the page; nothing is saved.
"""

from __future__ import annotations

import io
from typing import Any

from desktop.errors import DeclaraError
from desktop.filing import pages as generated
from desktop.filing.build import BAND, BuiltPacket
from desktop.i18n import N_, translator

WRONG_COUNT = N_("The packet has {found} pages, but its index and parts say {expected}.")
WRONG_NUMBER = N_("Page {page} does not carry its number: expected “{expected}”, found “{found}”.")
NOT_A_TAB = N_("The index says exhibit {label} starts on page {page}, but that page is not its tab page.")
GAP = N_(
    "The index says exhibit {label} ends on page {page}, but the next page is not the next exhibit's "
    "tab page or the proof of service."
)
STRAY_TAB = N_("Page {page}, inside exhibit {label}, is the tab page of another exhibit.")
BOOKMARK = N_("The bookmark of exhibit {label} does not point at its tab page {page}.")
PART_RANGE = N_("The part {name} does not hold pages {first} to {last}.")
PART_TOO_LARGE = N_("The part {name} is {size} MB, over the limit of {limit} MB.")
PARTS_GAP = N_("The parts do not cover the packet's pages one after another (page {page}).")


class PacketCheckFailed(DeclaraError):
    pass


def _words(value: str) -> str:
    return " ".join(value.split())


def page_texts(data: bytes) -> list[tuple[str, str]]:
    """(text above the band, text of the band) of every page of a PDF."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    out = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            width, height = page.get_size()
            textpage = page.get_textpage()
            above = textpage.get_text_bounded(left=0, bottom=BAND, right=width, top=height)
            band = textpage.get_text_bounded(left=0, bottom=0, right=width, top=BAND)
            out.append((_words(above), _words(band)))
            textpage.close()
            page.close()
    finally:
        doc.close()
    return out


def _outline(data: bytes) -> list[tuple[str, int]]:
    """(title, 1-based page) of each top-level bookmark."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        where = {page.obj.objgen: n for n, page in enumerate(pdf.pages, start=1)}
        out = []
        with pdf.open_outline() as outline:
            for item in outline.root:
                dest = item.destination
                page = where.get(dest[0].objgen, 0) if isinstance(dest, pikepdf.Array) and len(dest) else 0
                out.append((str(item.title), page))
        return out


def check_packet(built: BuiltPacket, *, limit_bytes: int | None) -> None:
    """Re-read ``built`` and raise :class:`PacketCheckFailed` at the first thing that disagrees."""
    t = translator(built.lang)
    texts = page_texts(built.pdf)
    total = len(texts)
    expected_total = built.pages
    if built.parts:
        expected_total = max(expected_total, built.parts[-1].last_page)
    if total != expected_total or (built.index and built.index[-1].last_page > total):
        raise PacketCheckFailed(WRONG_COUNT, found=total, expected=expected_total)
    for number, (_above, band) in enumerate(texts, start=1):
        stamp = t(generated.STAMP).format(page=number, total=total)
        if band != stamp:
            raise PacketCheckFailed(WRONG_NUMBER, page=number, expected=stamp, found=band)
    tab_words = {entry.label: _words(generated.tab_text(entry.label, built.lang)) for entry in built.index}
    continued = {
        entry.label: _words(generated.tab_text(entry.label, built.lang, continued=True))
        for entry in built.index
    }
    proof = _words(t(generated.PROOF_TITLE))
    for entry in built.index:
        first = texts[entry.first_page - 1][0] if 0 < entry.first_page <= total else ""
        if not _is_tab(first, tab_words[entry.label], continued[entry.label]) or first.startswith(
            continued[entry.label]
        ):
            raise PacketCheckFailed(NOT_A_TAB, label=entry.label, page=entry.first_page)
    for n, entry in enumerate(built.index):
        following = entry.last_page + 1
        if n + 1 < len(built.index):
            ok = following == built.index[n + 1].first_page
        else:
            ok = following > total or proof in texts[following - 1][0]
        if not ok:
            raise PacketCheckFailed(GAP, label=entry.label, page=entry.last_page)
        for page in range(entry.first_page + 1, entry.last_page + 1):
            above = texts[page - 1][0]
            for label, words in tab_words.items():
                if label != entry.label and _is_tab(above, words, continued[label]):
                    raise PacketCheckFailed(STRAY_TAB, page=page, label=entry.label)
    bookmarks = _outline(built.pdf)
    for entry in built.index:
        words = tab_words[entry.label]
        pointed = [page for title, page in bookmarks if _words(title).startswith(words)]
        if entry.first_page not in pointed:
            raise PacketCheckFailed(BOOKMARK, label=entry.label, page=entry.first_page)
    _check_parts(built, total, limit_bytes, t)


def _is_tab(text: str, words: str, continued: str) -> bool:
    """Does a page's text begin as this exhibit's tab page does (and is it only that)?"""
    if not text.startswith(words):
        return False
    rest = text[len(words) :]
    return rest == "" or rest.startswith(" ") or text.startswith(continued)


def _check_parts(built: BuiltPacket, total: int, limit_bytes: int | None, t: Any) -> None:
    expected_first = 1
    for part in built.parts:
        if part.first_page != expected_first:
            raise PacketCheckFailed(PARTS_GAP, page=expected_first)
        if limit_bytes is not None and len(part.data) > limit_bytes:
            raise PacketCheckFailed(
                PART_TOO_LARGE,
                name=part.name,
                size=f"{len(part.data) / 1_000_000:.1f}",
                limit=f"{limit_bytes / 1_000_000:g}",
            )
        if len(built.parts) > 1:  # one part is the whole PDF, read above
            texts = page_texts(part.data)
            if len(texts) != part.last_page - part.first_page + 1:
                raise PacketCheckFailed(
                    PART_RANGE, name=part.name, first=part.first_page, last=part.last_page
                )
            for offset, (_above, band) in enumerate(texts):
                number = part.first_page + offset
                stamp = t(generated.STAMP).format(page=number, total=total)
                if band != stamp:
                    raise PacketCheckFailed(WRONG_NUMBER, page=number, expected=stamp, found=band)
        expected_first = part.last_page + 1
    if built.parts and expected_first != total + 1:
        raise PacketCheckFailed(PARTS_GAP, page=expected_first)
