"""What ``planaudit serve`` is told: where to listen, how hard to work, and the audit settings.

One frozen value, made by the command line (or by a test) and handed to the app, so the
audit processes can be set up from it again: like ``check --jobs``, each worker builds its
own registry from the same configuration file, strictness and rule packs.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["DEFAULT_AUDIT", "DEFAULT_TIMEOUT", "OCR_TIMEOUT", "ServeSettings", "default_workers"]

#: The function the workers call, as "module:function"; tests name a slow or crashing one.
DEFAULT_AUDIT = "planaudit.engine:audit"
#: Seconds one audit may take when none is given, for plans with a text layer.
DEFAULT_TIMEOUT = 60.0
#: ... and when scanned pages are read with OCR, which a minute does not fit. Measured on
#: the scanned fixture plan_nb.pdf (9 pages, 300 dpi, one page at a time): 1.1 s a page
#: upright (0.5-1.5 s), 2.8 s a page scanned sideways or upside down (read, orientation,
#: read again). With one audit process per core (the default) an audit reads its pages on
#: one core: a 60-page scan takes 60-90 s, 170 s if every page is turned; five minutes
#: leaves room for a slower machine and cores shared with other audits.
OCR_TIMEOUT = 300.0


def default_workers() -> int:
    """One audit process per core the server may use (at least one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class ServeSettings:
    """The server's settings; every field has the default ``planaudit serve`` uses."""

    host: str = "127.0.0.1"
    port: int = 8000
    #: audit processes
    workers: int = field(default_factory=default_workers)
    #: seconds one audit may take before its process is ended (None: DEFAULT_TIMEOUT, or
    #: OCR_TIMEOUT when scanned pages are read with OCR)
    timeout: float | None = None
    #: largest upload in bytes (the request body, counted as it streams in)
    max_upload: int = 50 * 1024 * 1024
    #: address space of an audit process in bytes (None: no limit)
    memory_limit: int | None = 2 * 1024 * 1024 * 1024
    #: audits that may wait for a free process before the server answers 503
    max_waiting: int = 32
    #: the history database (None: PLANAUDIT_DATABASE_URL, else SQLite in the user's data folder)
    database_url: str | None = None
    #: keep the uploaded files in the history database (off: only the report is kept)
    keep_documents: bool = False
    config_path: Path | None = None
    strict: bool = False
    rule_packs: tuple[Path, ...] = ()
    #: the profile the upload page preselects and the API uses when none is given
    profile: str | None = None
    lang: str = "nb"
    #: read scanned PDF pages with OCR (``--ocr``; also ``ocr = true`` in the configuration)
    ocr: bool = False
    #: for tests only: the audit function the workers call, as "module:function"
    audit_function: str = field(default=DEFAULT_AUDIT, repr=False)

    def audit_timeout(self, ocr: bool) -> float:
        """Seconds one audit may take: the given limit, or the default for how plans are
        read (``ocr``: whether OCR is on, from ``--ocr`` or the configuration)."""
        if self.timeout is not None:
            return self.timeout
        return OCR_TIMEOUT if ocr else DEFAULT_TIMEOUT
