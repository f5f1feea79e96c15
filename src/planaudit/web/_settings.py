"""What ``planaudit serve`` is told: where to listen, how hard to work, and the audit settings.

One frozen value, made by the command line (or by a test) and handed to the app, so the
audit processes can be set up from it again: like ``check --jobs``, each worker builds its
own registry from the same configuration file, strictness and rule packs.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["DEFAULT_AUDIT", "ServeSettings", "default_workers"]

#: The function the workers call, as "module:function"; tests name a slow or crashing one.
DEFAULT_AUDIT = "planaudit.engine:audit"


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
    #: seconds one audit may take before its process is ended
    timeout: float = 60.0
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
    #: for tests only: the audit function the workers call, as "module:function"
    audit_function: str = field(default=DEFAULT_AUDIT, repr=False)
