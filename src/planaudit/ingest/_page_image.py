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
#: Rows summed at a time: bounds the memory of finding rules on a large page.
_BAND = 256
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
    """Pixels in a horizontal run of ink at least ``length`` long, a band of rows at a time
    (the sums of a whole A4 page at 300 dpi would take some 100 MB)."""
    import numpy

    marked = numpy.zeros(ink.shape, dtype=bool)
    if ink.shape[1] < length:
        return marked
    for top in range(0, ink.shape[0], _BAND):
        marked[top:top + _BAND] = _band_runs(ink[top:top + _BAND], length)
    return marked


def _band_runs(ink: numpy.ndarray, length: int) -> numpy.ndarray:
    """A window of ``length`` pixels full of ink marks all its pixels: counted by running
    sums, so the cost does not grow with the length."""
    import numpy

    height, width = ink.shape
    sums = numpy.zeros((height, width + 1), dtype=numpy.int32)
    numpy.cumsum(ink, axis=1, out=sums[:, 1:])
    full = (sums[:, length:] - sums[:, :-length]) == length  # the window starting at each column
    sums[:, 1:] = numpy.cumsum(numpy.pad(full, ((0, 0), (0, length - 1))), axis=1)
    first = numpy.maximum(0, numpy.arange(width) - length + 1)  # the first window that can cover a pixel
    return (sums[:, 1:] - sums[:, first]) > 0


def _grown(mask: numpy.ndarray, margin: int) -> numpy.ndarray:
    grown = mask.copy()
    for shift in range(1, margin + 1):
        grown[shift:, :] |= mask[:-shift, :]
        grown[:-shift, :] |= mask[shift:, :]
        grown[:, shift:] |= mask[:, :-shift]
        grown[:, :-shift] |= mask[:, shift:]
    return grown
