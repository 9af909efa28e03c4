"""A scanned signature for the declarant's line: checked before it goes near a PDF.

Only PNG or JPEG, at most 2 MB and 4,000 pixels a side (a phone photo of a signature is far less);
anything else is refused with a message the user reads. Pillow (which reportlab brings) reads the
header; reportlab places the picture, scaled to fit, aspect kept.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.errors import DeclaraError
from desktop.i18n import N_

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

BAD_SIGNATURE_IMAGE = N_("The signature must be a PNG or JPEG image.")
SIGNATURE_IMAGE_TOO_LARGE = N_(
    "The signature image is too large ({size}); use one under {limit} and {pixels} pixels a side."
)
SIGNATURE_IMAGE_MAX_BYTES = 2 * 1024 * 1024
SIGNATURE_IMAGE_MAX_PIXELS = 4000


@dataclass(frozen=True)
class SignaturePicture:
    """A checked signature image: its bytes and its size in pixels."""

    data: bytes
    width: int
    height: int

    def flowable(self, max_width: float, max_height: float) -> Flowable:
        """The image scaled to fit ``max_width`` × ``max_height`` points, aspect kept."""
        from reportlab.platypus import Image

        scale = min(max_width / self.width, max_height / self.height)
        image = Image(io.BytesIO(self.data), width=self.width * scale, height=self.height * scale)
        image.hAlign = "LEFT"
        return image


def signature_picture(data: bytes) -> SignaturePicture:
    """``data`` checked as a PNG or JPEG signature of a sensible size, else DeclaraError."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise DeclaraError(BAD_SIGNATURE_IMAGE)
    data = bytes(data)
    limit_text = f"{SIGNATURE_IMAGE_MAX_BYTES // (1024 * 1024)} MB"
    if len(data) > SIGNATURE_IMAGE_MAX_BYTES:
        size = f"{len(data) / (1024 * 1024):.1f} MB"
        raise DeclaraError(
            SIGNATURE_IMAGE_TOO_LARGE, size=size, limit=limit_text, pixels=SIGNATURE_IMAGE_MAX_PIXELS
        )
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")):
        raise DeclaraError(BAD_SIGNATURE_IMAGE)
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as picture:
            if picture.format not in ("PNG", "JPEG"):
                raise DeclaraError(BAD_SIGNATURE_IMAGE)
            width, height = picture.size
            if max(width, height) > SIGNATURE_IMAGE_MAX_PIXELS:
                raise DeclaraError(
                    SIGNATURE_IMAGE_TOO_LARGE,
                    size=f"{width} × {height}",
                    limit=limit_text,
                    pixels=SIGNATURE_IMAGE_MAX_PIXELS,
                )
            picture.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise DeclaraError(BAD_SIGNATURE_IMAGE) from exc
    if not width or not height:
        raise DeclaraError(BAD_SIGNATURE_IMAGE)
    return SignaturePicture(data, width, height)
