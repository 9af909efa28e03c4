"""A :class:`~desktop.requests.letters.Letter` as a PDF (the page layout of Declara's court
documents: US Letter, 1-inch margins, the client's name and A-number above, the title and "Page N
of M" below, Liberation fonts embedded, PDF language set) or as a DOCX to edit (python-docx: the same
blocks as Word paragraphs, a table for the fields, the same margins and running header, the
document's language set on every run's style so a word processor checks the spelling in it).

reportlab and python-docx are imported inside the functions: importing this module is cheap.
"""

from __future__ import annotations

import io
import re
from typing import Any

from desktop.requests.letters import Letter

FORMATS = ("pdf", "docx")
_A_NUMBER = re.compile(r"\bA (\d{3}-\d{3}-\d{3})\b")


def _keep_a_number(value: str) -> str:
    """An A-number is never broken across lines ("A" alone at a line's end)."""
    return _A_NUMBER.sub("A\u00a0\\1", value)


def letter_pdf(letter: Letter) -> bytes:
    from reportlab.lib.enums import TA_LEFT
    from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table

    from desktop.documents.layout import DocumentInfo, document_styles, render_pdf, table_style, text

    styles = document_styles()
    fonts = styles.fonts
    body = styles.body.clone("letter_body", fontSize=11.5, leading=14.5, spaceAfter=8, alignment=TA_LEFT)
    strong = body.clone("letter_strong", fontName=fonts.bold(fonts.serif))
    lines_style = body.clone("letter_lines", spaceAfter=12)
    bullet = body.clone(
        "letter_bullet", leftIndent=18, bulletIndent=4, spaceAfter=4, bulletFontName=fonts.serif
    )
    heading = styles.heading.clone("letter_heading", fontSize=12, leading=15, spaceBefore=8)
    title = styles.title.clone("letter_title", fontSize=14, leading=18)
    cell = styles.cell.clone("letter_cell", fontSize=10.5, leading=13)
    label = cell.clone("letter_label", fontName=fonts.bold(fonts.sans), fontSize=9.5)
    note = styles.note

    def para(value: str, style: Any) -> Any:
        return Paragraph(_keep_a_number(text(value)).replace("\n", "<br/>"), style)

    def story() -> list[Any]:
        flow: list[Any] = []
        for block in letter.blocks:
            kind = block.kind
            if kind == "lines":
                flow.append(Paragraph("<br/>".join(text(line) for line in block.items), lines_style))
            elif kind == "title":
                flow.append(para(block.text, title))
            elif kind == "heading":
                flow.append(para(block.text, heading))
            elif kind == "para":
                flow.append(para(block.text, body))
            elif kind == "strong":
                flow.append(para(block.text, strong))
            elif kind == "note":
                flow.append(para(block.text, note))
            elif kind == "bullets":
                flow += [Paragraph(text(item), bullet, bulletText="•") for item in block.items]
                flow.append(Spacer(0, 4))
            elif kind == "fields":
                rows = [[para(a, label), para(b, cell)] for a, b in block.rows]
                table = Table(rows, colWidths=[132, 336], hAlign="LEFT")
                table.setStyle(
                    table_style(
                        [
                            ("VALIGN", (0, 0), (-1, -1), "TOP"),
                            ("LINEBELOW", (0, 0), (-1, -1), 0.25, (0.75, 0.75, 0.75)),
                            ("TOPPADDING", (0, 0), (-1, -1), 3),
                            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                            ("LEFTPADDING", (0, 0), (-1, -1), 2),
                        ]
                    )
                )
                flow += [table, Spacer(0, 10)]
            elif kind == "signature":
                rule = Table([[""]], colWidths=[240], rowHeights=[30], hAlign="LEFT")
                rule.setStyle(table_style([("LINEBELOW", (0, 0), (-1, -1), 0.6, (0, 0, 0))]))
                flow.append(KeepTogether([rule, para(block.text, body)]))
            elif kind == "page":
                flow.append(PageBreak())
            else:  # pragma: no cover - every kind is above
                raise ValueError(kind)
        return flow

    info = DocumentInfo(
        lang=letter.lang,
        title=letter.title,
        running_title=letter.title,
        client_name=letter.client_name,
        a_number=letter.a_number if not letter.a_number.startswith("[") else "",
        subject=letter.title,
        author=letter.author or None,
    )
    return render_pdf(story, info)


def letter_docx(letter: Letter) -> bytes:
    """The letter as a Word document: the same words, ready to edit."""
    import docx
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Inches, Pt

    document = docx.Document()
    document.core_properties.title = letter.title
    document.core_properties.subject = letter.title
    document.core_properties.author = letter.author
    document.core_properties.comments = ""
    document.core_properties.language = letter.lang
    section = document.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))
    normal = document.styles["Normal"]
    normal.font.name = "Liberation Serif"
    normal.font.size = Pt(11.5)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), {"en": "en-US", "es": "es-419"}.get(letter.lang, letter.lang))
    rpr.append(lang)
    header = section.header.paragraphs[0]
    header.text = f"{letter.client_name}\t\t{letter.a_number if not letter.a_number.startswith('[') else ''}"
    footer = section.footer.paragraphs[0]
    footer.text = letter.title

    def paragraph(
        value: str, *, bold: bool = False, size: float | None = None, style: str | None = None
    ) -> Any:
        p = document.add_paragraph(style=style)
        for i, line in enumerate(value.split("\n")):
            run = p.add_run(line)
            run.bold = bold
            if size:
                run.font.size = Pt(size)
            if i < len(value.split("\n")) - 1:
                run.add_break()
        return p

    for block in letter.blocks:
        kind = block.kind
        if kind == "lines":
            paragraph("\n".join(block.items))
        elif kind == "title":
            p = paragraph(block.text, bold=True, size=14)
            p.alignment = 1
        elif kind == "heading":
            paragraph(block.text, bold=True, size=12)
        elif kind == "para":
            paragraph(block.text)
        elif kind == "strong":
            paragraph(block.text, bold=True)
        elif kind == "note":
            paragraph(block.text, size=9)
        elif kind == "bullets":
            for item in block.items:
                paragraph(item, style="List Bullet")
        elif kind == "fields":
            table = document.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for a, b in block.rows:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = a, b
                for run in cells[0].paragraphs[0].runs:
                    run.bold = True
            document.add_paragraph()
        elif kind == "signature":
            document.add_paragraph()
            paragraph("_" * 40 + "\n" + block.text)
        elif kind == "page":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:  # pragma: no cover
            raise ValueError(kind)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render(letter: Letter, fmt: str) -> bytes:
    if fmt == "pdf":
        return letter_pdf(letter)
    if fmt == "docx":
        return letter_docx(letter)
    raise ValueError(fmt)
