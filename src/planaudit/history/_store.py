"""The audit history: every audit as one row, with its report, in SQLite or PostgreSQL.

One ``HistoryStore`` per process is meant to be shared by threads (a web server's pool):
the SQLAlchemy engine hands each call its own connection. SQLite runs in WAL mode, so
readers never wait for the writer, with a busy timeout, so writers queue instead of failing.
"""
from __future__ import annotations

import functools
import re
import sqlite3
import threading
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import PureWindowsPath
from typing import Any, ParamSpec, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Row, create_engine, event, func, select
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from ..model import AuditReport
from ._errors import HistoryError
from ._location import database_url, masked, parse, shown_url, sqlite_file
from ._migrate import WRITE, upgrade
from ._tables import audits

__all__ = ["AuditRecord", "HistoryStore", "municipality_key"]

P = ParamSpec("P")
R = TypeVar("R")

_ID = re.compile(r"[0-9a-f]{32}")
#: Seconds a SQLite writer waits for another one before giving up.
_BUSY_TIMEOUT = 30
#: Seconds to wait for a PostgreSQL server that does not answer.
_CONNECT_TIMEOUT = 10
# Norwegian alphabetical order puts æ, ø, å after z, in that order.
_NORWEGIAN_ORDER = str.maketrans({"æ": "z\u0001", "ø": "z\u0002", "å": "z\u0003"})


class AuditRecord(BaseModel):
    """One past audit: what it was of, when, and how it scored (the report itself is
    ``HistoryStore.report(id)``)."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="32 hex digits; GET /api/v1/audits/{id} gives the report")
    created: datetime = Field(description="when the audit was made (UTC)")
    municipality: str | None
    title: str | None
    period: tuple[int, int] | None
    document_name: str = Field(description="the file's name, without folders")
    document_sha256: str
    document_format: str
    pages: int | None
    profile: str
    score: int
    passed: bool | None
    planaudit_version: str
    source: str = Field(description="web (the upload page), api (the HTTP API) or cli (check --save-history)")
    has_document: bool = Field(description="whether the uploaded file was kept (serve --keep-documents)")


def municipality_key(name: str | None) -> str | None:
    """What a municipality is matched by: lower case, spaces collapsed, without the word
    "kommune", so "Storlia", "storlia" and "Storlia kommune" are one municipality."""
    if name is None:
        return None
    words = unicodedata.normalize("NFKC", name).casefold().split()
    kept = [word for word in words if word.strip(".,:;") != "kommune"]
    return " ".join(kept or words) or None


class _Clock:
    """UTC now, strictly increasing within the process, so audits stored one after the other
    list in that order even when the system clock's resolution would give them one time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = datetime.min.replace(tzinfo=timezone.utc)

    def now(self) -> datetime:
        with self._lock:
            now = datetime.now(timezone.utc)
            self._last = now if now > self._last else self._last + timedelta(microseconds=1)
            return self._last


_CLOCK = _Clock()


def _cause(err: BaseException) -> str:
    """The driver's own first line, which says what went wrong (refused, no such file...)."""
    original = getattr(err, "orig", None) or err
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    return lines[0] if lines else type(original).__name__


def _database_error(subject: str, backend: str, err: BaseException) -> HistoryError:
    cause = _cause(err)
    if backend == "postgresql" and isinstance(err, OperationalError):
        return HistoryError(subject, f"får ikke kontakt med databasetjeneren ({cause})",
                            f"cannot reach the database server ({cause})")
    if backend == "postgresql":
        return HistoryError(subject, f"databasetjeneren avviste forespørselen ({cause})",
                            f"the database server refused the request ({cause})")
    return HistoryError(subject, f"kan ikke bruke databasefilen ({cause})", f"cannot use the database file ({cause})")


def _guarded(method: Callable[P, R]) -> Callable[P, R]:
    """A database that fails mid-way (server gone, disk full) is a HistoryError naming it."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        store: HistoryStore = args[0]  # type: ignore[assignment]
        try:
            return method(*args, **kwargs)
        except SQLAlchemyError as err:
            raise _database_error(store.url, store.backend, err) from err

    return wrapper


def _sqlite_engine(parsed: URL, subject: str) -> Engine:
    """A SQLite engine in WAL mode whose write transactions take the lock at BEGIN
    (``BEGIN IMMEDIATE``), so two writers queue on the busy timeout instead of failing."""
    file = sqlite_file(parsed)
    if file is not None:
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise HistoryError(subject, f"kan ikke opprette mappen {file.parent} ({err.strerror})",
                               f"cannot create the folder {file.parent} ({err.strerror})") from None
    options: dict[str, Any] = {"connect_args": {"timeout": _BUSY_TIMEOUT, "check_same_thread": False}}
    if file is None:  # one in-memory database, shared by every thread of this store
        options["poolclass"] = StaticPool
    engine = create_engine(parsed, **options)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy, not sqlite3, says BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT * 1000}")
        if file is not None:
            _write_ahead_log(cursor)
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _write_ahead_log(cursor: Any) -> None:
    """Switch a new SQLite file to WAL mode (it stays so). The switch needs the file to
    itself and, unlike other statements, fails at once rather than waiting the busy timeout
    when another process is switching it too (several servers opening a new history), so it
    is retried here for up to the busy timeout."""
    deadline = time.monotonic() + _BUSY_TIMEOUT
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _postgres_engine(parsed: URL, subject: str) -> Engine:
    try:
        return create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": _CONNECT_TIMEOUT})
    except ImportError:
        raise HistoryError(subject, "PostgreSQL-driveren (psycopg) mangler: installer planaudit[postgres]",
                           "the PostgreSQL driver (psycopg) is missing: install planaudit[postgres]") from None


class HistoryStore:
    """Past audits in one database. Open with ``HistoryStore.open(url)``; close when done."""

    def __init__(self, engine: Engine, url: str) -> None:
        self._engine = engine
        #: the database, password masked, for messages
        self.url = url
        #: "sqlite" or "postgresql"
        self.backend = engine.dialect.name

    @classmethod
    def open(cls, url: str | None = None) -> HistoryStore:
        """The history in ``database_url(url)``: the SQLite file is made on first use, and the
        schema brought to the newest migration (safe when several processes start at once)."""
        resolved = database_url(url)
        subject = masked(shown_url(url))
        parsed = parse(resolved, subject)
        engine = _sqlite_engine(parsed, subject) if parsed.get_backend_name() == "sqlite" \
            else _postgres_engine(parsed, subject)
        try:
            upgrade(engine, subject)
        except SQLAlchemyError as err:
            engine.dispose()
            raise _database_error(subject, engine.dialect.name, err) from err
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, subject)

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"HistoryStore({self.url!r})"

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        with self._engine.connect() as connection:
            connection.execution_options(**{WRITE: True})
            with connection.begin():
                yield connection

    @_guarded
    def add(self, report: AuditReport, *, document_name: str, source: str = "web",
            document: bytes | None = None, created: datetime | None = None) -> AuditRecord:
        """Store one audit; the document's bytes only when given (the caller decides)."""
        name = PureWindowsPath(document_name.strip()).name or PureWindowsPath(report.document.path).name or "-"
        period = report.plan.period
        values: dict[str, Any] = {
            "id": uuid.uuid4().hex,
            "created": (created or _CLOCK.now()).astimezone(timezone.utc),
            "municipality": report.plan.municipality,
            "municipality_key": municipality_key(report.plan.municipality),
            "title": report.plan.title,
            "period_start": period[0] if period else None,
            "period_end": period[1] if period else None,
            "document_name": name,
            "document_sha256": report.document.sha256,
            "document_format": report.document.format,
            "pages": report.document.pages,
            "profile": report.profile,
            "score": report.score,
            "passed": report.passed,
            "planaudit_version": report.planaudit_version,
            "source": source,
            "report": report.model_dump_json(),
            "document": document,
        }
        with self._writing() as connection:
            connection.execute(audits.insert().values(**values))
        return _record(values | {"has_document": document is not None})

    @_guarded
    def get(self, audit_id: str) -> AuditRecord | None:
        """The audit with this id; None for an unknown or malformed id."""
        if not _ID.fullmatch(audit_id):
            return None
        with self._engine.connect() as connection:
            row = connection.execute(_RECORD.where(audits.c.id == audit_id)).first()
        return None if row is None else _record(row._asdict())

    @_guarded
    def report(self, audit_id: str) -> AuditReport | None:
        """The stored report, as it was made; None for an unknown or malformed id."""
        text = self._column(audit_id, "report")
        if text is None:
            return None
        try:
            return AuditReport.model_validate_json(text)
        except ValidationError as err:
            raise HistoryError(self.url, f"rapporten for {audit_id} kan ikke leses av denne planaudit "
                               f"({err.error_count()} feil)", f"the report of {audit_id} cannot be read by "
                               f"this planaudit ({err.error_count()} errors)") from None

    @_guarded
    def document(self, audit_id: str) -> bytes | None:
        """The uploaded document's bytes, when they were kept; else None."""
        content = self._column(audit_id, "document")
        return None if content is None else bytes(content)

    def _column(self, audit_id: str, column: str) -> Any:
        if not _ID.fullmatch(audit_id):
            return None
        with self._engine.connect() as connection:
            return connection.execute(select(audits.c[column]).where(audits.c.id == audit_id)).scalar()

    @_guarded
    def list(self, *, municipality: str | None = None, limit: int | None = 50,
             offset: int = 0) -> list[AuditRecord]:
        """Past audits, newest first; of one municipality when named (matched as
        ``municipality_key`` does; an empty name means all). ``limit=None``: all of them."""
        if (limit is not None and limit < 0) or offset < 0:
            raise ValueError("limit and offset must not be negative")
        query = _RECORD.order_by(audits.c.created.desc(), audits.c.id.desc()).offset(offset)
        key = municipality_key(municipality) if municipality and municipality.strip() else None
        if key is not None:
            query = query.where(audits.c.municipality_key == key)
        if limit is not None:
            query = query.limit(limit)
        with self._engine.connect() as connection:
            return [_record(row._asdict()) for row in connection.execute(query)]

    @_guarded
    def trend(self, municipality: str) -> list[AuditRecord]:
        """Every audit of one municipality, oldest first: how its score moved."""
        key = municipality_key(municipality)
        query = _RECORD.where(audits.c.municipality_key == key).order_by(audits.c.created, audits.c.id)
        with self._engine.connect() as connection:
            return [_record(row._asdict()) for row in connection.execute(query)]

    @_guarded
    def municipalities(self) -> list[tuple[str, int]]:
        """Each municipality in the history and its number of audits, in Norwegian
        alphabetical order. Spellings of one municipality count together, under the fullest."""
        query = (select(audits.c.municipality_key, func.max(audits.c.municipality), func.count())
                 .where(audits.c.municipality_key.is_not(None)).group_by(audits.c.municipality_key))
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
        ordered = sorted(rows, key=lambda row: str(row[0]).translate(_NORWEGIAN_ORDER))
        return [(str(name), int(count)) for _key, name, count in ordered]

    def ping(self) -> None:
        """Nothing when the database answers; a HistoryError naming it when not."""
        try:
            with self._engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
        except SQLAlchemyError as err:
            raise _database_error(self.url, self.backend, err) from err

    def close(self) -> None:
        """Close the connections; the store is not used after this."""
        self._engine.dispose()


_RECORD = select(
    *(column for column in audits.c if column.name not in ("report", "document", "municipality_key")),
    audits.c.document.is_not(None).label("has_document"),
)


def _record(values: dict[str, Any] | Row[Any]) -> AuditRecord:
    data = dict(values)
    start, end = data.pop("period_start"), data.pop("period_end")
    fields = {name: data[name] for name in AuditRecord.model_fields if name not in ("period", "has_document")}
    return AuditRecord(**fields, period=(start, end) if start is not None and end is not None else None,
                       has_document=bool(data["has_document"]))
