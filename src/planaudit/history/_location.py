"""Where the audit history lives: a database URL from the caller, the environment, or a
SQLite file in the user's data folder.

The URL is resolved here, once, so the command line and the web service agree on it, and
so every message can name the database without showing its password.
"""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from ._errors import HistoryError

__all__ = ["ENV_VAR", "database_url", "default_sqlite_path", "masked", "parse", "shown_url", "sqlite_file"]

#: The environment variable that points every planaudit process at one database.
ENV_VAR = "PLANAUDIT_DATABASE_URL"
_FILE_NAME = "historikk.sqlite3"
# Users write the URL their PostgreSQL documentation shows; psycopg 3 is the driver we ship.
_POSTGRES_SCHEMES = ("postgres://", "postgresql://")
_SUPPORTED = ("sqlite", "postgresql")


def default_sqlite_path() -> Path:
    """The history file in the user's data folder (e.g. ~/.local/share/planaudit/ on Linux)."""
    return Path(platformdirs.user_data_dir("planaudit", appauthor=False)) / _FILE_NAME


def database_url(explicit: str | None = None) -> str:
    """The URL to use: ``explicit``, else ``$PLANAUDIT_DATABASE_URL``, else the SQLite file in
    the user's data folder. ``postgres(ql)://`` becomes ``postgresql+psycopg://``; a plain
    file path (no ``://``) is read as a SQLite file."""
    url = (explicit or os.environ.get(ENV_VAR, "")).strip()
    if not url:
        return "sqlite:///" + str(default_sqlite_path())
    for scheme in _POSTGRES_SCHEMES:
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme):]
    if "://" not in url:
        return "sqlite:///" + str(Path(url).expanduser().absolute())
    return url


def shown_url(explicit: str | None = None) -> str:
    """The URL as the user wrote it (postgresql://, not the driver's name), for messages."""
    given = (explicit or os.environ.get(ENV_VAR, "")).strip()
    return given if "://" in given else database_url(explicit)


def masked(url: str) -> str:
    """The URL for messages: the password replaced by ***; unparseable text left as given."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url


def parse(url: str, subject: str) -> URL:
    """The parsed URL of a database planaudit can use, or a HistoryError naming it."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise HistoryError(subject, "er ingen database-URL (skriv f.eks. postgresql://bruker@vert/database "
                           "eller sqlite:///sti/historikk.sqlite3)",
                           "is not a database URL (write e.g. postgresql://user@host/database or "
                           "sqlite:///path/history.sqlite3)") from None
    if parsed.get_backend_name() not in _SUPPORTED:
        raise HistoryError(subject, f"databasetypen {parsed.get_backend_name()!r} støttes ikke (bare sqlite og "
                           "postgresql)", f"database type {parsed.get_backend_name()!r} is not supported "
                           "(only sqlite and postgresql)")
    return parsed


def sqlite_file(parsed: URL) -> Path | None:
    """The file of a SQLite URL; None for an in-memory database or another backend."""
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.query.get("mode") == "memory":
        return None
    return Path(parsed.database)
