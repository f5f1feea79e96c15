"""``planaudit serve`` as a real subprocess for the browser tests: a free loopback port, a
throwaway SQLite history, and a clean stop.

Why a subprocess and not the framework's test client: the browser tests check what a user
of ``planaudit serve`` gets - the command line, uvicorn, the worker pool and the history
file on disk - and a restart must find the history again, which only a new process shows.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

__all__ = ["RunningServer", "free_port", "start_server"]

STARTUP_SECONDS = 60.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class RunningServer:
    """A started ``planaudit serve``: its base URL, its history file and its log."""

    url: str
    database: Path
    log: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def output(self) -> str:
        """What the server wrote to stdout and stderr so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> int:
        """Stop the server as Ctrl+C would (SIGINT), killing it only if it hangs."""
        if self.process.poll() is None:
            self.process.send_signal(2)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return int(self.process.returncode)


def start_server(folder: Path, database: Path | None = None, *options: str) -> RunningServer:
    """``planaudit serve`` on a free port with its history in ``database`` (default
    ``folder/h.sqlite3``) and the user's data folder in ``folder``; returns once /healthz
    answers 200, raises RuntimeError with the server's output when it does not."""
    folder.mkdir(parents=True, exist_ok=True)
    database = database or folder / "h.sqlite3"
    port = free_port()
    env = {**os.environ, "PLANAUDIT_DATABASE_URL": f"sqlite:///{database}", "XDG_DATA_HOME": str(folder)}
    env.pop("PLANAUDIT_DEBUG", None)
    log = folder / f"serve-{port}.log"
    command = [sys.executable, "-m", "planaudit", "serve", "--host", "127.0.0.1", "--port", str(port), *options]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, env=env, cwd=folder, stdout=sink, stderr=subprocess.STDOUT)
    server = RunningServer(f"http://127.0.0.1:{port}", database, log, process)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"planaudit serve exited with {process.returncode}:\n{server.output()[-3000:]}")
        try:
            if httpx.get(f"{server.url}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"planaudit serve did not answer /healthz in {STARTUP_SECONDS:g} s:\n{server.output()[-3000:]}")
