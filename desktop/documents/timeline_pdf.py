"""The pages of the chronology exhibit: caption, title, the drawing and its legend
(:mod:`desktop.documents.timeline_chart`), then the table of events.

This module imports reportlab; :mod:`desktop.documents.timeline` imports it only to render.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Table

from desktop.documents.flowables import SectionHeading
from desktop.documents.layout import caption, document_styles, table_style, text
from desktop.documents.timeline import TITLE, TimelineRow, source_label
from desktop.documents.timeline_chart import Chart, legend, look, paint, polygon_points
from desktop.i18n import N_, translator

TIMELINE_HEADING = N_("Timeline (to scale)")
TABLE_HEADING = N_("Table of events")
CHART_NOTE = N_(
    "Each event is drawn at its earliest possible date; its number is its No. in the table below."
)
NO_EVENTS = N_("No events in the chronology yet.")
# Translators: column headings of the table of events.
COLUMN_NUMBER = N_("No.")
COLUMN_DATE = N_("Date")
COLUMN_EVENT = N_("Event")
COLUMN_PLACE = N_("Place")
COLUMN_SOURCE = N_("Source")

_TABLE_START = 110.0  # heading, header row and about three rows


def timeline_story(
    rows: list[TimelineRow],
    lang: str,
    *,
    exhibit_label: str | None,
    name: str,
    a_number: str,
    detained: bool,
    court: str | None,
) -> list[Flowable]:
    """The flowables of the exhibit, in ``lang``; call again for each layout pass."""
    t = translator(lang)
    styles = document_styles()
    story: list[Flowable] = []
    if exhibit_label:
        story.append(Paragraph(text(exhibit_label), styles.exhibit))
    story += caption(lang, name, a_number, detained=detained, court=court)
    story.append(SectionHeading(t(TITLE), styles.title, key="chronology", level=0))
    if not rows:
        story.append(Paragraph(text(t(NO_EVENTS)), styles.body))
        return story
    chart = Chart(rows, lang)
    story.append(
        KeepTogether(
            [
                SectionHeading(t(TIMELINE_HEADING), styles.heading, key="timeline", level=1),
                Paragraph(text(t(CHART_NOTE)), styles.note),
                chart.drawing(),
                *legend(chart, lang),
            ]
        )
    )
    # The table may start low on a page, but not with fewer than about three rows under its heading
    # (keepWithNext would move the whole table to the next page when it fits on one).
    story.append(CondPageBreak(_TABLE_START))
    story.append(
        SectionHeading(
            t(TABLE_HEADING), styles.heading.clone("table_heading", keepWithNext=0), key="events", level=1
        )
    )
    story.append(_table(rows, lang))
    return story


# -- table -------------------------------------------------------------------------------------
class _NumberCell(Flowable):
    """The No. cell: the event's marker (as in the drawing) and its number."""

    def __init__(self, row: TimelineRow) -> None:
        super().__init__()
        self.row = row

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        return availWidth, 12

    def draw(self) -> None:
        """The marker straight on the canvas (a Drawing per row would cost a third of the render)."""
        canv = self.canv
        date = self.row.date
        shape = look(self.row.category)[0]
        fill, stroke, width = paint(self.row.category, date.approximate or date.uncertain)
        canv.saveState()
        canv.setFillColor(fill)
        canv.setStrokeColor(stroke)
        canv.setLineWidth(width)
        if shape == "circle":
            canv.circle(4, 5.5, 3.2, stroke=1, fill=1)
        else:
            points = polygon_points(shape, 4, 5.5, 3.2)
            path = canv.beginPath()
            path.moveTo(points[0], points[1])
            for i in range(2, len(points), 2):
                path.lineTo(points[i], points[i + 1])
            path.close()
            canv.drawPath(path, stroke=1, fill=1)
        canv.restoreState()
        canv.setFont(document_styles().fonts.serif, 10)
        canv.drawString(11, 2.5, str(self.row.number))


_COLUMNS = (COLUMN_NUMBER, COLUMN_DATE, COLUMN_EVENT, COLUMN_PLACE, COLUMN_SOURCE)
COLUMN_WIDTHS = (36.0, 96.0, 178.0, 82.0, 76.0)  # 468 pt: the width between the margins


def _table(rows: list[TimelineRow], lang: str) -> Table:
    t = translator(lang)
    styles = document_styles()
    cell = styles.cell
    data: list[list[Any]] = [[Paragraph(text(t(heading)), styles.cell_head) for heading in _COLUMNS]]
    for row in rows:
        event_text = text(row.text)
        if row.text_lang != lang:
            event_text = f"<i>[{text(row.text_lang)}]</i> {event_text}"
        data.append(
            [
                _NumberCell(row),
                Paragraph(text(row.date_text), cell),
                Paragraph(event_text, cell),
                Paragraph(text(row.place), cell),
                Paragraph(text(_sources_text(row.sources, lang)), cell),
            ]
        )
    table = Table(
        data,
        colWidths=list(COLUMN_WIDTHS),
        repeatRows=1,
        splitByRow=1,
        splitInRow=3 * cell.leading,  # a row taller than a page may break between lines, not less
        hAlign="LEFT",
    )
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
                ("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.Color(0.6, 0.6, 0.6)),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.Color(0.965, 0.965, 0.965)]),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _sources_text(sources: tuple[str, ...], lang: str) -> str:
    """The sources joined by '; '; "Decl. ¶ 4" and "Ex. C" are never broken across lines."""
    labels = []
    for token in sources:
        label = source_label(token, lang)
        if token.startswith(("paragraph:", "exhibit:")):
            label = label.replace(" ", "\u00a0")
        labels.append(label)
    return "; ".join(labels)
