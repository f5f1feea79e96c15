"""What the web service's tests share: the app running with its history in a SQLite file
in a temporary folder, an in-memory store with the HistoryStore methods that can be made
to fail, and an audit function that misbehaves on request (hangs, crashes, allocates
without end) and otherwise is ``planaudit.engine.audit`` itself.

The misbehaving function runs in the server's real worker processes (named through
``ServeSettings.audit_function``), so the timeout and crash tests kill real processes.
"""
from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from datetime import datetime, timezone
from typing import Any

from planaudit.engine import audit
from planaudit.history import HistoryError
from planaudit.model import AuditReport

__all__ = ["CRASH", "FORMATS", "HANG", "HOG", "MISBEHAVING", "FakeStore", "error_of", "misbehaving_audit", "running", "serving", "sqlite_url"]

HANG = b"%planaudit-test: hang\n"
CRASH = b"%planaudit-test: crash\n"
HOG = b"%planaudit-test: hog\n"
MISBEHAVING = "_web:misbehaving_audit"


def misbehaving_audit(source: bytes, **options: Any) -> AuditReport:
    """HANG + a file path: writes its process id there, then sleeps; CRASH: kills its own
    process; HOG: allocates until the address-space limit stops it."""
    if source.startswith(HANG):
        Path(source[len(HANG):].decode()).write_text(str(os.getpid()), encoding="utf-8")
        time.sleep(3600)
    if source.startswith(CRASH):
        os.kill(os.getpid(), signal.SIGKILL)
    if source.startswith(HOG):
        hoard = []
        while True:  # ends in MemoryError under the worker's address-space limit
            hoard.append(bytearray(256 * 1024 * 1024))
    return audit(source, **options)


@dataclass(frozen=True)
class Record:
    id: str
    created: datetime
    municipality: str | None
    title: str | None
    period: tuple[int, int] | None
    document_name: str
    document_sha256: str
    document_format: str
    pages: int | None
    profile: str
    score: int
    passed: bool | None
    planaudit_version: str
    source: str
    has_document: bool


def _same_place(name: str | None, asked: str) -> bool:
    def norm(text: str) -> str:
        text = text.strip().casefold()
        return text[: -len(" kommune")] if text.endswith(" kommune") else text
    return name is not None and norm(name) == norm(asked)


class FakeStore:
    """HistoryStore's methods, in memory; ``down`` makes every call fail as an unreachable
    database does (a HistoryError, which is a PlanauditError)."""

    url = "memory://"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[Record] = []
        self._reports: dict[str, AuditReport] = {}
        self._documents: dict[str, bytes] = {}
        self.down = False

    def add(self, report: AuditReport, *, document_name: str, source: str = "web",
            document: bytes | None = None) -> Record:
        self.ping()
        record = Record(uuid.uuid4().hex, datetime.now(timezone.utc), report.plan.municipality, report.plan.title,
                        report.plan.period, document_name, report.document.sha256, report.document.format,
                        report.document.pages, report.profile, report.score, report.passed,
                        report.planaudit_version, source, document is not None)
        with self._lock:
            self._records.append(record)
            self._reports[record.id] = AuditReport.model_validate_json(report.model_dump_json())
            if document is not None:
                self._documents[record.id] = document
        return record

    def get(self, audit_id: str) -> Record | None:
        return next((r for r in self._records if r.id == audit_id), None)

    def report(self, audit_id: str) -> AuditReport | None:
        self.ping()
        return self._reports.get(audit_id)

    def document(self, audit_id: str) -> bytes | None:
        return self._documents.get(audit_id)

    def list(self, *, municipality: str | None = None, limit: int = 50, offset: int = 0) -> list[Record]:
        self.ping()
        found = [r for r in reversed(self._records) if municipality is None or _same_place(r.municipality, municipality)]
        return found[offset: offset + limit]

    def trend(self, municipality: str) -> list[Record]:
        self.ping()
        return [r for r in self._records if _same_place(r.municipality, municipality)]

    def municipalities(self) -> list[tuple[str, int]]:
        self.ping()
        counts: dict[str, int] = {}
        for record in self._records:
            if record.municipality:
                counts[record.municipality] = counts.get(record.municipality, 0) + 1
        return sorted(counts.items())

    def ping(self) -> None:
        if self.down:
            raise HistoryError("memory://", "databasen svarer ikke", "the database does not answer")

    def close(self) -> None:
        pass


# --- a running app for a test module -------------------------------------------------------------

import contextlib  # noqa: E402
from collections.abc import Iterator  # noqa: E402

from fastapi.testclient import TestClient  # noqa: E402

from planaudit.web import ServeSettings, create_app  # noqa: E402

FORMATS = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "formats"


@contextlib.contextmanager
def running(settings: ServeSettings, store: Any = None) -> Iterator[tuple[TestClient, Any]]:
    """The app with its worker pool started, a test client (server errors come back as
    responses, as a real client sees them) and the store: ``store`` when given, else the
    one the app opens itself from ``settings.database_url`` (give a SQLite file in a
    temporary folder, never the user's)."""
    assert store is not None or settings.database_url, "a test never uses the user's own history"
    app = create_app(settings, store=store)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, app.state.service.store


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'historikk.sqlite3'}"


def error_of(response: Any) -> tuple[str, str]:
    """The code and message of an error response, after checking its shape: JSON, one key
    ``error`` with exactly ``code`` and ``message``, one line, no traceback."""
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    message = body["error"]["message"]
    assert message and "\n" not in message and "Traceback" not in response.text, message
    return body["error"]["code"], message


@contextlib.contextmanager
def serving(settings: ServeSettings, store: Any = None) -> Iterator[str]:
    """The app on a real HTTP server (uvicorn in a thread, on a free loopback port), for a
    browser or a load test: yields the base URL, e.g. ``http://127.0.0.1:43127``."""
    import socket
    import uvicorn

    assert store is not None or settings.database_url, "a test never uses the user's own history"
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    server = uvicorn.Server(uvicorn.Config(create_app(settings, store=store), log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()
