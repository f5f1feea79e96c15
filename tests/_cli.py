"""What every command-line test expects of a bad input: exit code 2 and one line on stderr;
and a command run with a terminal as its stderr, as a person at a terminal runs it."""
from __future__ import annotations

import os
import pty
import subprocess
import sys
import time
from pathlib import Path

from click.testing import Result

__all__ = ["assert_clean_exit", "on_a_terminal", "one_line_error"]


def assert_clean_exit(result: Result) -> None:
    """No unhandled exception: CliRunner swallows tracebacks, so look at the exception too."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr


def one_line_error(result: Result) -> str:
    """The one line a bad input gives, after checking it is the only one, with exit code 2."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert_clean_exit(result)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def on_a_terminal(args: list[str], cwd: Path, stdout: Path, seconds: float = 120) -> tuple[int, str]:
    """``python -m planaudit ARGS`` with stderr on a pseudo-terminal and stdout to a file (not
    a pipe nobody reads while the terminal is read): its exit code and what the terminal showed."""
    leader, follower = pty.openpty()
    with stdout.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "planaudit", *args], stdout=output, stderr=follower,
            stdin=subprocess.DEVNULL, cwd=cwd, env={**os.environ, "COLUMNS": "100", "LC_ALL": "C.UTF-8"})
    os.close(follower)
    received = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        received += chunk
    process.wait(timeout=seconds)
    os.close(leader)
    return process.returncode, received.decode("utf-8", errors="replace")
