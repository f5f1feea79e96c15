"""Limits and safety: the upload size (counted as the body streams in), the time limit that
kills a hung audit process, a crashed or memory-hungry audit, the bounded queue - and after
each, the server still audits the next plan.

The misbehaving audits run in the server's real worker processes (``tests/_web.py``), so
these tests kill real processes; the pool is one worker with no waiting room, so the busy
answer is reachable with two requests.
"""
from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _web import CRASH, FORMATS, HANG, HOG, MISBEHAVING, error_of, running, sqlite_url
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planaudit.history import HistoryStore
from planaudit.web import ServeSettings
from planaudit.web._errors import header_lang
from planaudit.web._limits import UploadLimit
from planaudit.web._upload import safe_filename

LIMIT = 256 * 1024
TIMEOUT = 3.0


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, HistoryStore]]:
    settings = ServeSettings(workers=1, timeout=TIMEOUT, max_upload=LIMIT, max_waiting=0,
                             memory_limit=1024 * 1024 * 1024, audit_function=MISBEHAVING, keep_documents=True,
                             database_url=sqlite_url(tmp_path_factory.mktemp("history")))
    with running(settings) as (client, store):
        yield client, store


@pytest.fixture(scope="module")
def client(served: tuple[TestClient, HistoryStore]) -> TestClient:
    return served[0]


def _small_plan(client: TestClient) -> Any:
    path = FORMATS / "plan_nb.md"
    return client.post("/api/v1/audits", files={"file": (path.name, path.read_bytes())})


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:  # a killed child not yet reaped is a zombie: gone for our purpose
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().split(") ", 1)[1].startswith("Z")
    except OSError:
        return True


# --- the upload size --------------------------------------------------------------------------------


def test_an_upload_over_the_limit_is_413_with_content_length(client: TestClient) -> None:
    response = client.post("/api/v1/audits", files={"file": ("stor.pdf", b"%PDF-1.7\n" + b"0" * (2 * LIMIT))})
    assert response.status_code == 413
    code, message = error_of(response)
    assert code == "file_too_large" and "256 kB" in message
    english = client.post("/api/v1/audits?lang=en", files={"file": ("stor.pdf", b"0" * (2 * LIMIT))})
    assert error_of(english) == ("file_too_large", "The file is too large: the largest upload allowed is 256 kB")


def test_an_upload_over_the_limit_is_413_without_content_length(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"x" * 16384

    response = client.post("/api/v1/audits", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413 and error_of(response)[0] == "file_too_large"
    # and the server is fine afterwards
    assert _small_plan(client).status_code == 201


def test_an_upload_over_the_limit_from_the_form_shows_the_page_again(client: TestClient) -> None:
    response = client.post("/revisjoner", files={"fil": ("stor.pdf", b"0" * (2 * LIMIT))})
    assert response.status_code == 413 and response.headers["content-type"].startswith("text/html")
    assert 'role="alert"' in response.text and "256 kB" in response.text
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def _asgi(limit: int, chunks: list[bytes], headers: list[tuple[bytes, bytes]]) -> tuple[list[Any], int, bool]:
    """Run the middleware around an app that reads the whole body: the messages sent, how
    many chunks were read, and whether the app answered."""
    read = 0
    sent: list[Any] = []
    answered = False

    async def app(scope: Any, receive: Any, send: Any) -> None:
        nonlocal answered
        while (await receive()).get("more_body"):
            pass
        answered = True
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def receive() -> dict[str, Any]:
        nonlocal read
        read += 1
        return {"type": "http.request", "body": chunks[read - 1], "more_body": read < len(chunks)}

    async def send(message: Any) -> None:
        sent.append(message)

    middleware = UploadLimit(app, limit=limit, refuse=lambda scope: (413, [], b"too large"))
    asyncio.run(middleware({"type": "http", "headers": headers, "path": "/"}, receive, send))
    return sent, read, answered


def test_the_limit_stops_reading_at_the_first_chunk_past_it() -> None:
    sent, read, answered = _asgi(250_000, [b"x" * 100_000] * 10, [])
    assert read == 3 and not answered
    assert sent[0]["status"] == 413 and sent[1]["body"] == b"too large"


def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    sent, read, answered = _asgi(250_000, [b"x" * 100_000] * 10, [(b"content-length", b"1000000")])
    assert read == 0 and not answered and sent[0]["status"] == 413


def test_a_body_under_the_limit_reaches_the_app() -> None:
    sent, read, answered = _asgi(250_000, [b"x" * 100_000] * 2, [(b"content-length", b"200000")])
    assert read == 2 and answered and sent[0]["status"] == 200


def test_with_keep_documents_the_upload_is_kept_in_the_history(served: tuple[TestClient, HistoryStore]) -> None:
    client, store = served
    response = _small_plan(client)
    audit_id = response.headers["x-audit-id"]
    assert store.document(audit_id) == (FORMATS / "plan_nb.md").read_bytes()
    assert client.get("/api/v1/audits", params={"limit": 1}).json()[0]["has_document"] is True


# --- the time limit, crashes and memory --------------------------------------------------------------


def test_a_hung_audit_is_killed_at_the_time_limit_and_the_next_audit_works(client: TestClient,
                                                                            tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    started = time.monotonic()
    response = client.post("/api/v1/audits", files={"file": ("heng.md", HANG + str(pid_file).encode())})
    elapsed = time.monotonic() - started
    assert response.status_code == 422, response.text
    code, message = error_of(response)
    assert code == "audit_timeout" and "heng.md" in message and "3 sekunder" in message
    assert elapsed >= TIMEOUT
    pid = int(pid_file.read_text(encoding="utf-8"))
    deadline = time.monotonic() + 10
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(pid), "the hung worker process is still running"
    assert _small_plan(client).status_code == 201


def test_a_crashed_audit_is_audit_crashed_and_the_pool_recovers(client: TestClient) -> None:
    response = client.post("/api/v1/audits?lang=en", files={"file": ("krasj.md", CRASH)})
    assert response.status_code == 422
    assert error_of(response) == ("audit_crashed", "krasj.md: the process auditing the file stopped unexpectedly "
                                                   "(a crash or out of memory); the file was not audited")
    assert _small_plan(client).status_code == 201


def test_an_audit_past_the_memory_limit_is_audit_crashed(client: TestClient) -> None:
    response = client.post("/api/v1/audits", files={"file": ("bombe.md", HOG)})
    assert response.status_code == 422 and error_of(response)[0] == "audit_crashed"
    assert _small_plan(client).status_code == 201


def test_past_the_waiting_room_the_server_is_busy(served: tuple[TestClient, HistoryStore], tmp_path: Path) -> None:
    client, _ = served
    service = client.app.state.service  # type: ignore[attr-defined]
    first: list[Any] = []
    hang = threading.Thread(target=lambda: first.append(client.post(
        "/api/v1/audits", files={"file": ("heng.md", HANG + str(tmp_path / "pid").encode())})))
    hang.start()
    deadline = time.monotonic() + 10
    while service.pool.pending < 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    busy = client.post("/api/v1/audits", files={"file": ("plan.md", (FORMATS / "plan_nb.md").read_bytes())})
    # refused before the body is read: a malformed one is not even looked at
    unread = client.post("/api/v1/audits", content=b"not a form",
                         headers={"Content-Type": "multipart/form-data; boundary=x"})
    hang.join()
    assert busy.status_code == 503 and busy.headers["retry-after"].isdigit()
    assert error_of(busy)[0] == "server_busy"
    assert error_of(unread)[0] == "server_busy"
    assert error_of(first[0])[0] == "audit_timeout"
    assert _small_plan(client).status_code == 201


# --- names and languages from clients -------------------------------------------------------------------


@given(st.text(max_size=400))
def test_an_uploaded_name_becomes_a_plain_base_name(raw: str) -> None:
    name = safe_filename(raw)
    assert name and len(name) <= 200
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert name.strip(".") and name == name.strip()


def test_an_uploaded_name_keeps_its_extension() -> None:
    assert safe_filename("C:\\Users\\ola\\plan.pdf") == "plan.pdf"
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("..") == "plan"
    assert safe_filename("a" * 300 + ".docx").endswith(".docx")


@given(st.text(max_size=200))
def test_any_accept_language_header_gives_nb_or_en(header: str) -> None:
    assert header_lang(header) in ("nb", "en")


@pytest.mark.parametrize(("header", "lang"), [
    ("en", "en"), ("en-US,en;q=0.9", "en"), ("nb-NO,nb;q=0.9,en;q=0.8", "nb"), ("da, en;q=0.5", "en"),
    ("no;q=0.4, en;q=0.6", "en"), ("de", "nb"), ("", "nb"), ("en;q=0", "nb"), ("nn-NO", "nb"),
])
def test_the_language_follows_accept_language(header: str, lang: str) -> None:
    assert header_lang(header) == lang


# --- any body a client sends ----------------------------------------------------------------------

_VALID_FORM = (b"--grense\r\nContent-Disposition: form-data; name=\"profile\"\r\n\r\nkommune\r\n"
               b"--grense\r\nContent-Disposition: form-data; name=\"file\"; filename=\"plan.md\"\r\n"
               b"Content-Type: text/markdown\r\n\r\n# Plan\r\n\r\nMaal: 20 boliger innen 2027.\r\n--grense--\r\n")


@st.composite
def _damaged_forms(draw: st.DrawFn) -> bytes:
    """A well-formed multipart body cut, overwritten or spliced with arbitrary bytes."""
    body = bytearray(_VALID_FORM)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(body)))
        body[at:at + draw(st.integers(0, 12))] = draw(st.binary(max_size=24))
    return bytes(body[: draw(st.integers(0, len(body)))])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(_damaged_forms(), st.binary(max_size=300)))
def test_no_multipart_body_makes_the_server_fail(client: TestClient, body: bytes) -> None:
    """Whatever bytes arrive as a form, the answer is a report or a client error with a
    JSON error body - never a server error or a traceback."""
    response = client.post("/api/v1/audits", content=body,
                           headers={"Content-Type": "multipart/form-data; boundary=grense"})
    assert response.status_code in (201, 400, 413, 422), response.text
    if response.status_code != 201:
        code, message = error_of(response)
        assert code and message and "Traceback" not in response.text
