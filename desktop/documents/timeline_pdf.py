"""The pages of the chronology exhibit: caption, title, the drawing and its legend
(:mod:`desktop.documents.timeline_chart`), then the table of events
(:mod:`desktop.documents.timeline_table` pages it).

Each row's Event cell opens with the event's status in words ("Documented", "Client's account",
"Disputed", "DHS claim"); a government allegation is worded as DHS's claim ("DHS alleges: …"),
never as a fact of the client's life.

This module imports reportlab; :mod:`desktop.documents.timeline` imports it only to render.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph

from desktop.documents.flowables import SectionHeading
from desktop.documents.layout import MARGIN, PAGE_SIZE, caption, document_styles, text
from desktop.documents.timeline import TITLE, TimelineRow, source_label
from desktop.documents.timeline_chart import Chart, legend
from desktop.documents.timeline_markers import draw_on_canvas, status_label
from desktop.documents.timeline_table import PagedTable, TableLook
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

# Translators: in the exhibit's table, a government allegation is worded as DHS's claim, never as
# a fact of the client's life; {text} is the event as recorded ("El DHS alega: …").
DHS_ALLEGES = N_("DHS alleges: {text}")

_FRAME_HEIGHT = PAGE_SIZE[1] - 2 * MARGIN
_TABLE_LEAD_ROWS = 3  # the table starts on a page only with its heading, header and three rows


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
    """The flowables of the exhibit, in ``lang`` (laid out once: a table measures its rows once)."""
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
    story += chart.detail_flowables(styles.heading.clone("detail_heading", fontSize=11, leading=14))
    # The table may start low on a page, but not with fewer than three rows under its heading
    # (keepWithNext would move the whole table to the next page when it fits on one).
    heading = styles.heading.clone("table_heading", keepWithNext=0)
    table = _table(rows, lang)
    lead = heading.spaceBefore + heading.leading + heading.spaceAfter + table.lead_height(_TABLE_LEAD_ROWS)
    story.append(CondPageBreak(min(lead, _FRAME_HEIGHT)))
    story.append(SectionHeading(t(TABLE_HEADING), heading, key="events", level=1))
    story.append(table)
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
        draw_on_canvas(self.canv, self.row.category, self.row.status, 5.5, 5.5, 3.2)
        self.canv.setFont(document_styles().fonts.serif, 10)
        self.canv.drawString(13, 2.5, str(self.row.number))


_COLUMNS = (COLUMN_NUMBER, COLUMN_DATE, COLUMN_EVENT, COLUMN_PLACE, COLUMN_SOURCE)
COLUMN_WIDTHS = (34.0, 90.0, 172.0, 72.0, 100.0)  # 468 pt: the width between the margins


def event_markup(row: TimelineRow, lang: str) -> str:
    """The Event cell: the status in words on a small first line, then the event's text.

    A government allegation is worded as DHS's claim ("DHS alleges: …"); a text in another
    language than the document's is marked with its language ("[en] …").
    """
    t = translator(lang)
    fonts = document_styles().fonts
    event_text = text(row.text)
    if row.text_lang != lang:
        event_text = f"<i>[{text(row.text_lang)}]</i> {event_text}"
    if row.status == "government_allegation":
        event_text = t(DHS_ALLEGES).format(text=event_text)
    label = text(status_label(row.status, lang))
    return f'<font name="{fonts.bold(fonts.sans)}" size="8">{label}</font><br/>{event_text}'


def _table(rows: list[TimelineRow], lang: str) -> PagedTable:
    t = translator(lang)
    styles = document_styles()
    cell = styles.cell
    header = [Paragraph(text(t(heading)), styles.cell_head) for heading in _COLUMNS]
    body = [
        [
            _NumberCell(row),
            Paragraph(text(row.date_text), cell),
            Paragraph(event_markup(row, lang), cell),
            Paragraph(text(row.place), cell),
            Paragraph(_breakable(text(_sources_text(row, lang)), COLUMN_WIDTHS[-1] - 8, cell), cell),
        ]
        for row in rows
    ]
    return PagedTable(header, body, TableLook(widths=COLUMN_WIDTHS), _FRAME_HEIGHT)


def _breakable(markup: str, width: float, style: Any) -> str:
    """Let a word wider than the column break after its slashes ("Deportable/Inadmissible"),
    instead of reportlab cutting it between two letters."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def fix(word: str) -> str:
        if "/" in word and stringWidth(word, style.fontName, style.fontSize) > width:
            return word.replace("/", "/<br/>")
        return word

    return " ".join(fix(word) for word in markup.split(" "))


def _sources_text(row: TimelineRow | tuple[str, ...], lang: str) -> str:
    """The row's source labels joined by '; ' (never a token or an id). The labels' short
    references ("Ex. B, p. 3", "¶ 4") already hold non-breaking spaces, so no line breaks inside
    one. Given bare tokens instead of a row, they are labelled without gender or exhibit refs."""
    if isinstance(row, TimelineRow):
        labels = row.source_labels
    else:
        labels = tuple(dict.fromkeys(source_label(token, lang) for token in row))
    return "; ".join(labels)
