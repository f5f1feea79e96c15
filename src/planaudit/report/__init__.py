"""The built-in reporters, one ``--format`` each, registered through the ``planaudit``
entry-point group exactly as a third-party reporter plugin would be.

``page`` and ``esc`` are the HTML page shell every HTML output shares, the web service's
pages included, so that they all look alike.
"""
from __future__ import annotations

from ..engine import Reporter, hookimpl
from ._html import esc, page
from .csv_report import CsvReporter
from .html_report import HtmlReporter
from .json_report import JsonReporter
from .markdown import MarkdownReporter
from .sarif import SarifReporter
from .table import TableReporter

__all__ = [
    "CsvReporter",
    "HtmlReporter",
    "JsonReporter",
    "MarkdownReporter",
    "SarifReporter",
    "TableReporter",
    "esc",
    "page",
    "planaudit_register_reporters",
]


@hookimpl
def planaudit_register_reporters() -> list[Reporter]:
    return [TableReporter(), JsonReporter(), MarkdownReporter(), HtmlReporter(), SarifReporter(),
            CsvReporter()]
