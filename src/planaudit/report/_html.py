"""The HTML page every HTML output shares: one self-contained file with inline CSS.

The HTML report, the batch summary and the version diff are all written through
:func:`page`, so they look alike, print alike and pass the same accessibility checks. No
script, font, image or style sheet is fetched from anywhere: a Husbanken adviser may open
the file offline or attach it to a case, and it must look the same there.
"""
from __future__ import annotations

import html
from functools import cache
from importlib.resources import files

__all__ = ["esc", "page"]


def esc(text: object) -> str:
    """Text for HTML content or an attribute value, with ``& < > " '`` escaped."""
    return html.escape(str(text), quote=True)


@cache
def _style() -> str:
    return files("planaudit.report").joinpath("data/report.css").read_text(encoding="utf-8")


def page(title: str, body: str, lang: str, footer: str = "", head: str = "") -> str:
    """A whole HTML document: ``body`` (already HTML) under ``<main>``, ``title`` escaped.

    ``lang`` is the report language (``nb``, ``nn`` or ``en``) so that screen readers
    pronounce the text in the right language. ``footer`` (already HTML), when given, goes
    in a ``<footer>`` after ``<main>``: what made the page, never a date, so that the same
    input gives the same bytes. ``head`` (already HTML) goes at the end of ``<head>``: the
    web service's pages link their own style sheet and script there; files written for
    offline reading leave it empty.
    """
    closing = f'<footer class="page-footer">\n{footer}\n</footer>\n' if footer else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="planaudit">\n'
        f"<title>{esc(title)}</title>\n<style>\n{_style()}</style>\n{head}</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n{closing}</body>\n</html>\n"
    )
