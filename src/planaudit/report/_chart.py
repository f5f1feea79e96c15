"""A horizontal bar chart as inline SVG, for the HTML pages (report, batch summary, diff).

Inline so the page stays one file that works offline; drawn by hand because a few
rectangles and labels do not need a plotting library. The chart is an image with an
accessible name (``role="img"`` and a ``<title>``), and every bar has its value written next
to it, so colour is never the only signal. Pages put the same numbers in a table after it.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ._common import shorten
from ._html import esc

__all__ = ["Bar", "bar_chart"]

_WIDTH = 760
_LABEL_END = 322        # labels are right-aligned here
_BAR_START = 330
_BAR_SPAN = 300         # a full bar (value 100)
_NOTE_START = 642
_ROW = 28
_BAR_HEIGHT = 18
_TOP = 26               # room for the axis labels
_LABEL_CHARS = 44       # longer labels are shortened; the table after the chart has them whole
_TICKS = (0, 25, 50, 75, 100)


class Bar(NamedTuple):
    """One bar: a label on its left, a value 0–100, a note on its right and a colour class."""

    label: str
    value: int
    note: str
    css_class: str = ""


def _axis(height: int) -> list[str]:
    parts = []
    for tick in _TICKS:
        x = _BAR_START + _BAR_SPAN * tick // 100
        parts.append(f'<line class="chart-grid" x1="{x}" y1="{_TOP - 4}" x2="{x}" y2="{height - 4}"/>')
        parts.append(f'<text class="chart-axis" x="{x}" y="{_TOP - 10}" text-anchor="middle">{tick}</text>')
    return parts


def _bar(index: int, bar: Bar) -> list[str]:
    value = max(0, min(100, bar.value))
    top = _TOP + index * _ROW
    middle = top + _BAR_HEIGHT // 2 + 5
    width = _BAR_SPAN * value / 100
    return [
        f'<text class="chart-label" x="{_LABEL_END}" y="{middle}" text-anchor="end">'
        f"{esc(shorten(bar.label, _LABEL_CHARS))}</text>",
        f'<rect class="chart-track" x="{_BAR_START}" y="{top}" width="{_BAR_SPAN}" height="{_BAR_HEIGHT}"/>',
        f'<rect class="chart-bar {esc(bar.css_class)}" x="{_BAR_START}" y="{top}" '
        f'width="{width:g}" height="{_BAR_HEIGHT}"/>',
        f'<text class="chart-note" x="{_NOTE_START}" y="{middle}">{esc(bar.note)}</text>',
    ]


def bar_chart(bars: Sequence[Bar], title: str, chart_id: str, description: str = "") -> str:
    """An ``<svg>`` with one row per bar; ``chart_id`` must be unique on the page (it names
    the ``<title>`` the chart is labelled by)."""
    height = _TOP + len(bars) * _ROW + 4
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    described = f' aria-describedby="{esc(desc_id)}"' if description else ""
    parts = [
        f'<svg class="chart" id="{esc(chart_id)}" role="img" aria-labelledby="{esc(title_id)}"{described} '
        f'viewBox="0 0 {_WIDTH} {height}" '
        f'width="{_WIDTH}" height="{height}">',
        f'<title id="{esc(title_id)}">{esc(title)}</title>',
    ]
    if description:
        parts.append(f'<desc id="{esc(desc_id)}">{esc(description)}</desc>')
    parts += _axis(height)
    for index, bar in enumerate(bars):
        parts += _bar(index, bar)
    parts.append("</svg>")
    return "\n".join(parts)
