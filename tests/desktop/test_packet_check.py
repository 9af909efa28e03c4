"""The packet checker (desktop/filing/check.py) catches what a build could get wrong: a page
shifted by one, an index range off by one, a bookmark on the wrong page, a missing page, a part
over the limit. Built in memory from small fictional PDFs, without a vault."""

from __future__ import annotations

import dataclasses
import io

import pytest

from bench.scans import line_pdf
from desktop.filing.build import BuiltPart, ExhibitInput, PacketInput, build_packet
from desktop.filing.check import PacketCheckFailed, check_packet
from desktop.filing.pages import Cover
from desktop.filing.split import plan_parts

COVER = Cover(
    name="Tomás Ruiz Ventura",
    a_number="A 201-555-088",
    detained=False,
    sex="m",
    place="Houston, Texas",
    judge="Hon. Ada Stone",
    hearing="December 18, 2026",
    title="Respondent's Evidence",
)
SERVICE = {
    "method": "mail",
    "date": "2026-12-10",
    "address": "DHS OPLA, 126 Northpoint Dr., Houston, TX",
    "attorney": "E. Ruiz",
}


def packet(limit: int | None = None, *, sizes=(2, 3, 1)) -> object:
    exhibits = [
        ExhibitInput(
            label, f"Document {label}", [line_pdf(*[f"{label} page {n}" for n in range(1, count + 1)])]
        )
        for label, count in zip("ABC", sizes, strict=True)
    ]
    spec = PacketInput(lang="en", cover=COVER, exhibits=exhibits, service=SERVICE)
    return build_packet(spec, limit_bytes=limit)


@pytest.fixture(scope="module")
def built():
    return packet()


def moved(data: bytes, page: int, to: int) -> bytes:
    """The PDF with 1-based ``page`` moved to position ``to`` (a page shifted)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        order = list(range(len(pdf.pages)))
        order.insert(to - 1, order.pop(page - 1))
        out = pikepdf.new()
        for i in order:
            out.pages.append(pdf.pages[i])
        buffer = io.BytesIO()
        out.save(buffer)
        return buffer.getvalue()


def test_the_genuine_packet_passes(built):
    # cover, index, tab A + 2, tab B + 3, tab C + 1, proof
    assert built.pages == 12
    assert [(e.label, e.first_page, e.last_page) for e in built.index] == [
        ("A", 3, 5),
        ("B", 6, 9),
        ("C", 10, 11),
    ]
    check_packet(built, limit_bytes=None)


def test_a_page_shifted_by_one_is_refused(built):
    shifted = dataclasses.replace(built, pdf=moved(built.pdf, 6, 7))  # tab B one page later
    with pytest.raises(PacketCheckFailed) as caught:
        check_packet(shifted, limit_bytes=None)
    assert "Page 6" in caught.value.message()


def test_an_index_range_off_by_one_is_refused(built):
    index = list(built.index)
    index[1] = dataclasses.replace(index[1], first_page=index[1].first_page + 1)
    with pytest.raises(PacketCheckFailed, match="exhibit B starts on page 7"):
        check_packet(dataclasses.replace(built, index=index), limit_bytes=None)
    index = list(built.index)
    index[0] = dataclasses.replace(index[0], last_page=index[0].last_page - 1)
    with pytest.raises(PacketCheckFailed, match="exhibit A ends on page 4"):
        check_packet(dataclasses.replace(built, index=index), limit_bytes=None)


def test_a_missing_page_is_refused(built):
    import pikepdf

    with pikepdf.open(io.BytesIO(built.pdf)) as pdf:
        del pdf.pages[4]
        buffer = io.BytesIO()
        pdf.save(buffer)
    with pytest.raises(PacketCheckFailed, match="11 pages"):
        check_packet(dataclasses.replace(built, pdf=buffer.getvalue()), limit_bytes=None)


def test_a_bookmark_on_the_wrong_page_is_refused(built):
    import pikepdf

    with pikepdf.open(io.BytesIO(built.pdf)) as pdf:
        with pdf.open_outline() as tree:
            item = next(i for i in tree.root if str(i.title).startswith("Exhibit B"))
            item.destination = pikepdf.Array([pdf.pages[6].obj, pikepdf.Name.Fit])
        buffer = io.BytesIO()
        pdf.save(buffer)
    with pytest.raises(PacketCheckFailed, match="bookmark of exhibit B"):
        check_packet(dataclasses.replace(built, pdf=buffer.getvalue()), limit_bytes=None)


def test_a_part_over_the_limit_or_out_of_range_is_refused(built):
    with pytest.raises(PacketCheckFailed, match="over the limit"):
        check_packet(built, limit_bytes=len(built.parts[0].data) - 1)
    halves = [
        BuiltPart("x_Part1.pdf", built.pdf, 1, 6),
        BuiltPart("x_Part2.pdf", built.pdf, 7, 12),
    ]
    with pytest.raises(PacketCheckFailed, match="x_Part1.pdf"):
        check_packet(dataclasses.replace(built, parts=halves), limit_bytes=None)


def test_parts_split_at_exhibit_boundaries_then_at_pages():
    plan = plan_parts(100, [[50, 50], [400, 400, 400], [50]], 10, 10, 600)
    segments = [[(s.exhibit, s.start, s.end) for s in part.segments] for part in plan]
    # A fits beside the front; B alone is over the limit: cut at pages, each piece under 600
    assert segments[0][0] == (0, 0, 2)
    pieces = [s for part in segments for s in part if s[0] == 1]
    assert [p[1:] for p in pieces] == [(0, 1), (1, 2), (2, 3)]
    assert plan[-1].back and plan[0].front


def test_a_small_limit_gives_parts_the_checker_accepts():
    big = packet(sizes=(2, 3, 1))
    small = packet(limit=max(len(big.pdf) // 2, 6000))
    assert len(small.parts) >= 2
    check_packet(small, limit_bytes=max(len(big.pdf) // 2, 6000))
    assert small.parts[-1].last_page == small.pages


def test_a_scan_page_over_the_limit_is_recompressed_only_then():
    import pikepdf

    from bench.scans import scanned_pdf

    scan = scanned_pdf(2, target_bytes=3_000_000)
    spec = PacketInput(lang="en", cover=COVER, exhibits=[ExhibitInput("A", "Scan", [scan])], service=SERVICE)
    roomy = build_packet(spec, limit_bytes=None)
    assert len(roomy.pdf) > 2_500_000  # not recompressed when there is no need
    tight = build_packet(spec, limit_bytes=1_000_000)
    check_packet(tight, limit_bytes=1_000_000)
    assert all(len(part.data) <= 1_000_000 for part in tight.parts)
    with pikepdf.open(io.BytesIO(tight.pdf)) as pdf:
        page = pdf.pages[3]  # the first scanned page, after the cover, index and tab
        form = page.Resources.XObject.DeclaraPage
        (image,) = form.Resources.XObject.values()
        assert image.Filter == pikepdf.Name.DCTDecode and int(image.Width) >= 1275  # still >= 150 dpi
