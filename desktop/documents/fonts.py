"""The fonts embedded in every PDF: Liberation Serif and Liberation Sans (SIL OFL 1.1).

TrueType fonts are embedded (as subsets) by reportlab, so accents and ñ render and extract the same
on every machine; the standard 14 PDF fonts are never used.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from desktop.paths import resource_path

SERIF = "LiberationSerif"
SANS = "LiberationSans"

# reportlab font name -> file under resources/fonts/
_FILES = {
    SERIF: "LiberationSerif-Regular.ttf",
    f"{SERIF}-Bold": "LiberationSerif-Bold.ttf",
    f"{SERIF}-Italic": "LiberationSerif-Italic.ttf",
    f"{SERIF}-BoldItalic": "LiberationSerif-BoldItalic.ttf",
    SANS: "LiberationSans-Regular.ttf",
    f"{SANS}-Bold": "LiberationSans-Bold.ttf",
}

_lock = threading.Lock()
_families: FontFamilies | None = None


@dataclass(frozen=True)
class FontFamilies:
    """Registered family names; ``<b>``/``<i>`` in a Paragraph pick the matching face."""

    serif: str
    sans: str

    def bold(self, family: str) -> str:
        """The bold face of ``family`` (a name returned here)."""
        return f"{family}-Bold"


def register_fonts() -> FontFamilies:
    """Register the Liberation fonts with reportlab (once per process) and return the family names.

    Safe to call from several threads; Liberation Sans has no italic here, so its italic faces map
    to the upright ones.
    """
    global _families
    with _lock:
        if _families is None:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            for name, filename in _FILES.items():
                pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", filename))))
            pdfmetrics.registerFontFamily(
                SERIF,
                normal=SERIF,
                bold=f"{SERIF}-Bold",
                italic=f"{SERIF}-Italic",
                boldItalic=f"{SERIF}-BoldItalic",
            )
            pdfmetrics.registerFontFamily(
                SANS, normal=SANS, bold=f"{SANS}-Bold", italic=SANS, boldItalic=f"{SANS}-Bold"
            )
            _families = FontFamilies(serif=SERIF, sans=SANS)
        return _families
