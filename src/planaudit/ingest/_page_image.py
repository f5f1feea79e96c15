"""A page image made ready for Tesseract: the ruled lines of tables and boxes taken out.

Tesseract reads the text of a ruled table badly: at 200 dpi, or with a little noise, it
takes the grid for a picture and the words in it for garbage, and a lone figure beside a
border for part of the border. Long straight runs of dark pixels are rules, not letters
(no stroke of a letter is a sixth of a column long), so they are painted white before
Tesseract sees the page; the layout finds the table again from how its words line up.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy
    from PIL import Image

__all__ = ["without_rules"]

#: Pixels darker than this (0 black, 255 white) are ink.
_INK = 140
#: A run of ink this long (inches) in a row or a column is a rule. A word of 10-point text
#: is under an inch wide, but its letters' strokes are never this long.
_RULE_INCHES = 0.45
#: Rules are thickened by this many pixels before they are painted out: anti-aliased and
#: JPEG-smeared edges are lighter than ink but still read as a bar.
_MARGIN = 1


def without_rules(image: Image.Image, dpi: float) -> Image.Image:
    """The greyscale ``image`` with its horizontal and vertical rules painted white."""
    import numpy
    from PIL import Image

    pixels = numpy.asarray(image.convert("L"))
    ink = pixels < _INK
    length = max(8, int(_RULE_INCHES * dpi))
    rules = _runs(ink, length) | _runs(ink.T, length).T
    if not rules.any():
        return image
    rules = _grown(rules, _MARGIN)
    cleaned = numpy.where(rules, numpy.uint8(255), pixels)
    return Image.fromarray(cleaned, mode="L")


def _runs(ink: numpy.ndarray, length: int) -> numpy.ndarray:
    """Pixels in a horizontal run of ink at least ``length`` long: a window of that length
    full of ink marks all its pixels."""
    import numpy

    height, width = ink.shape
    if width < length:
        return numpy.zeros_like(ink)
    sums = numpy.zeros((height, width + 1), dtype=numpy.int32)
    numpy.cumsum(ink, axis=1, out=sums[:, 1:])
    full = (sums[:, length:] - sums[:, :-length]) == length  # window starting at each column
    starts = numpy.zeros((height, width + 1), dtype=numpy.int32)
    numpy.cumsum(numpy.pad(full, ((0, 0), (0, length - 1))), axis=1, out=starts[:, 1:])
    first = numpy.maximum(0, numpy.arange(width) - length + 1)  # the first window that can cover a pixel
    return (starts[:, 1:] - starts[:, first]) > 0


def _grown(mask: numpy.ndarray, margin: int) -> numpy.ndarray:
    grown = mask.copy()
    for shift in range(1, margin + 1):
        grown[shift:, :] |= mask[:-shift, :]
        grown[:-shift, :] |= mask[shift:, :]
        grown[:, shift:] |= mask[:, :-shift]
        grown[:, :-shift] |= mask[:, shift:]
    return grown
