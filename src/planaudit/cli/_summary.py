"""``--summary FILE.csv|FILE.html``: where the batch summary and the plans' own reports go.

The HTML summary links each plan to its own HTML report. Those reports are written to a
folder beside the summary (``oversikt.html`` -> ``oversikt-rapporter/``), one file per
plan, named after the plan file plus a short hash of its path so that two plans with the
same file name in different folders do not overwrite each other, and a second run
overwrites the same files instead of piling up new ones.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from ..engine import Registry, ReportContext
from ..errors import UsageError
from ..model import AuditReport
from ..report.summary import BatchFailure, render_csv, render_html

__all__ = ["report_folder", "summary_kind", "write_summary"]

_KINDS = {".csv": "csv", ".html": "html", ".htm": "html"}
_FOLD = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "å": "a", "Å": "A"})


def summary_kind(path: Path) -> str:
    """``csv`` or ``html`` from the file's extension; anything else is a usage error."""
    kind = _KINDS.get(path.suffix.lower())
    if kind is None:
        raise UsageError("--summary", f"{path}: filen må slutte på .csv eller .html",
                         f"{path}: the file must end in .csv or .html")
    return kind


def report_folder(summary: Path) -> Path:
    """The folder beside an HTML summary that holds the plans' own reports."""
    return summary.with_name(f"{summary.stem}-rapporter")


def report_name(document_path: str) -> str:
    """A file name for a plan's report: readable, ASCII, unique per document path."""
    stem = Path(document_path).stem.translate(_FOLD)
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.")[:60] or "plan"
    digest = hashlib.sha256(document_path.encode("utf-8")).hexdigest()[:8]
    return f"{stem}-{digest}.html"


def write_summary(path: Path, reports: Sequence[AuditReport], failures: Sequence[BatchFailure],
                  context: ReportContext, registry: Registry) -> None:
    """Write the summary, and for an HTML summary each plan's HTML report beside it."""
    if summary_kind(path) == "csv":
        _write(path, render_csv(reports, failures, context))
        return
    reporter = registry.reporter("html")
    folder = report_folder(path)
    links: dict[str, str] = {}
    if reports:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise UsageError(str(folder), f"kan ikke lage mappen ({err.strerror})",
                             f"cannot create the folder ({err.strerror})") from None
    for report in reports:
        name = report_name(report.document.path)
        _write(folder / name, reporter.render([report], context))
        links[report.document.path] = f"{quote(folder.name)}/{quote(name)}"
    _write(path, render_html(reports, failures, context, links))


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise UsageError(str(path), f"kan ikke skrive filen ({err.strerror})",
                         f"cannot write the file ({err.strerror})") from None
