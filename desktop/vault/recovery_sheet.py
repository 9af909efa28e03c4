"""The recovery sheet: one A4/Letter-safe page with the vault's recovery code, to print and lock away.

Both languages are on the page, English then Spanish, whatever the interface language: the sheet
outlives the setting of the day it was printed, and is read years later by whoever is in the office
when a passphrase is lost (an attorney, a paralegal, an interpreter). The words themselves are
language-neutral (the BIP-0039 English list). The page names the vault only by its id and the date,
never by its folder name (a folder name may name a client).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime

from desktop.i18n import N_, _, using_language

_TITLE = N_("Declara recovery sheet")
_VAULT_ID = N_("Vault id")
_MADE_ON = N_("Made on")
_INSTRUCTIONS = (
    N_(
        "These 10 words open the vault without its passphrase. Keep this sheet locked away, apart "
        "from the laptop: whoever has it and the vault folder can read the vault."
    ),
    N_(
        "If the passphrase is forgotten: in Declara, on the unlock page, choose “Forgot the "
        "passphrase?”, then “Recovery code”, and type the 10 words in order (the first four letters "
        "of each word are enough). On the command line: declara vault recover VAULT --code"
    ),
    N_(
        "Then choose a new passphrase. The code works only once: make a new recovery code at once "
        "and destroy this sheet. A newer code, or a change of the data key, also voids this one."
    ),
)


def render_sheet(vault_id: str, words: Sequence[str], made_at: datetime | None = None) -> bytes:
    """The sheet as PDF bytes (reportlab, imported here: only this command needs it)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from desktop.documents.fonts import register_fonts

    fonts = register_fonts()
    made = (made_at or datetime.now(UTC)).strftime("%Y-%m-%d")
    body = ParagraphStyle("body", fontName=fonts.sans, fontSize=10.5, leading=14, spaceAfter=5)
    head = ParagraphStyle("head", parent=body, fontName=fonts.bold(fonts.sans), fontSize=13, spaceAfter=3)
    title = ParagraphStyle("title", parent=body, fontName=fonts.bold(fonts.sans), fontSize=18, leading=22)
    small = ParagraphStyle("small", parent=body, fontSize=9, textColor=colors.HexColor("#444444"))
    word_style = ParagraphStyle("word", parent=body, fontName=fonts.bold(fonts.sans), fontSize=16, leading=20)

    def esc(text: str) -> str:
        from xml.sax.saxutils import escape

        return escape(text)

    def both(msgid: str) -> str:
        with using_language("en"):
            en = _(msgid)
        with using_language("es"):
            es = _(msgid)
        return en if en == es else f"{en} / {es}"

    story: list = []
    with using_language("en"):
        en_title = _(_TITLE)
    story.append(Paragraph(esc(both(_TITLE)), title))
    story.append(Spacer(1, 3 * mm))
    story.append(Paragraph(esc(f"{both(_VAULT_ID)}: {vault_id}"), small))
    story.append(Paragraph(esc(f"{both(_MADE_ON)}: {made}"), small))
    story.append(Spacer(1, 5 * mm))
    half = (len(words) + 1) // 2
    rows = [
        [
            Paragraph(esc(f"{i + 1}. {words[i]}"), word_style),
            Paragraph(esc(f"{i + half + 1}. {words[i + half]}") if i + half < len(words) else "", word_style),
        ]
        for i in range(half)
    ]
    grid = Table(rows, colWidths=[80 * mm, 80 * mm])
    grid.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    story.append(grid)
    story.append(Spacer(1, 6 * mm))
    for lang, heading in (("en", "English"), ("es", "Español")):
        with using_language(lang):
            story.append(Paragraph(esc(heading), head))
            for text in _INSTRUCTIONS:
                story.append(Paragraph(esc(_(text)), body))
        story.append(Spacer(1, 3 * mm))
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=LETTER,  # fits on A4 too: the margins leave room on both
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=en_title,
        author="Declara",
        invariant=1,
    )
    doc.build(story)
    return out.getvalue()
