"""``planaudit serve`` as a user runs it: the real server in a subprocess on a free port,
uploads over HTTP, Ctrl-C, and the history still there after a restart. Also the one-line
errors and the warning when listening beyond this machine.

The history database is a SQLite file in the test's temporary folder
(PLANAUDIT_DATABASE_URL, and XDG_DATA_HOME in case anything falls back to the default).
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from _cli import one_line_error
from _serve import free_port
from click.testing import CliRunner

from planaudit.cli import cli
from planaudit.model.schemas import shipped_dir

FORMATS = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "formats"
START_TIMEOUT = 60.0


@pytest.fixture
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'historikk.sqlite3'}"
    monkeypatch.setenv("PLANAUDIT_DATABASE_URL", url)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("PLANAUDIT_DEBUG", raising=False)
    monkeypatch.chdir(tmp_path)
    return {**os.environ, "PLANAUDIT_DATABASE_URL": url, "XDG_DATA_HOME": str(tmp_path / "data"),
            "PYTHONUNBUFFERED": "1"}



class _Server:
    """``planaudit serve`` in a subprocess, with its first lines of output."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "planaudit", "serve", "--port", str(self.port), "--workers", "1", *args],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.base = f"http://127.0.0.1:{self.port}"
        assert self.process.stdout is not None
        self.lines = [self.process.stdout.readline().rstrip("\n"), self.process.stdout.readline().rstrip("\n")]
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert self.process.poll() is None, self.process.communicate()
            time.sleep(0.1)
        raise AssertionError("the server did not answer /healthz")

    def stop(self) -> tuple[int, str, str]:
        """Ctrl-C, as in a terminal; the exit code and the rest of the output."""
        self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=30)
        return self.process.returncode, out, err


@pytest.fixture
def server(environment: dict[str, str]) -> Iterator[_Server]:
    started = _Server(environment)
    yield started
    if started.process.poll() is None:
        started.process.kill()
        started.process.communicate()


def test_serve_uploads_over_http_stops_on_ctrl_c_and_keeps_the_history(server: _Server,
                                                                       environment: dict[str, str]) -> None:
    assert server.lines[0] == f"planaudit kjører på http://127.0.0.1:{server.port} (Ctrl-C avslutter)"
    assert server.lines[1].startswith("Historikk: sqlite:///") and "historikk.sqlite3" in server.lines[1]
    ids = []
    with httpx.Client(base_url=server.base, timeout=60) as client:
        for name in ("plan_nb.pdf", "plan_nb.docx"):
            response = client.post("/api/v1/audits", files={"file": (name, (FORMATS / name).read_bytes())})
            assert response.status_code == 201, response.text
            assert response.json()["document"]["path"] == name
            ids.append(response.headers["x-audit-id"])
        page = client.post("/revisjoner", files={"fil": ("plan_nb.pdf", (FORMATS / "plan_nb.pdf").read_bytes())},
                           follow_redirects=True)
        assert page.status_code == 200 and "/100" in page.text  # followed the 303 to the report page
    code, out, err = server.stop()
    assert code == 0, err
    assert "Traceback" not in err and "Traceback" not in out
    again = _Server(environment)
    try:
        listed = httpx.get(f"{again.base}/api/v1/audits", timeout=30).json()
        assert set(ids) <= {item["id"] for item in listed} and len(listed) == 3
        stored = httpx.get(f"{again.base}/api/v1/audits/{ids[0]}", timeout=30)
        assert stored.status_code == 200 and stored.json()["document"]["path"] == "plan_nb.pdf"
    finally:
        code, _, err = again.stop()
    assert code == 0 and "Traceback" not in err


def test_listening_beyond_this_machine_warns_that_there_is_no_login(environment: dict[str, str]) -> None:
    server = _Server(environment, "--host", "0.0.0.0")
    code, out, err = server.stop()
    assert code == 0
    assert server.lines[0].startswith("planaudit kjører på http://0.0.0.0:")
    assert "uten innlogging" in err and "Traceback" not in err


def test_a_port_in_use_is_one_line_and_exit_2(environment: dict[str, str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)])
    line = one_line_error(result)
    assert f"--port {port}" in line and "kan ikke lytte" in line


def test_a_wrong_profile_is_one_line_and_exit_2(environment: dict[str, str]) -> None:
    line = one_line_error(CliRunner().invoke(cli, ["serve", "--profile", "streng", "--port", str(free_port())]))
    assert "streng" in line


def test_the_limits_on_the_command_line_reach_the_server(environment: dict[str, str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import planaudit.web

    seen = []

    def capture(settings: planaudit.web.ServeSettings, **_: object) -> None:
        seen.append(settings)
        raise SystemExit(0)  # the settings are all this test needs: no server

    monkeypatch.setattr(planaudit.web, "create_app", capture)
    result = CliRunner().invoke(cli, ["serve", "--port", str(free_port()), "--workers", "3", "--timeout", "5",
                                      "--max-upload", "2MB", "--memory-limit", "1GB", "--max-waiting", "4",
                                      "--keep-documents"])
    assert result.exit_code == 0, result.output
    settings = seen[0]
    assert (settings.workers, settings.timeout, settings.max_waiting) == (3, 5.0, 4)
    assert (settings.max_upload, settings.memory_limit) == (2 * 1024**2, 1024**3)
    assert settings.keep_documents


def test_schema_openapi_prints_the_checked_in_document() -> None:
    result = CliRunner().invoke(cli, ["schema", "openapi"])
    assert result.exit_code == 0
    assert result.output == (shipped_dir() / "openapi.json").read_text(encoding="utf-8")
    assert json.loads(result.output)["paths"]["/api/v1/audits"]["post"]["operationId"] == "createAudit"


def test_the_command_line_starts_without_the_web_framework() -> None:
    probe = "import sys, planaudit.cli; print(sorted(m for m in ('fastapi', 'uvicorn', 'starlette') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
