"""A PostgreSQL database for tests, when one can be had.

``PLANAUDIT_TEST_DATABASE_URL`` names a server the tests may use (its planaudit tables are
dropped between tests). Without it, when the PostgreSQL server programs are installed
(Debian: ``apt-get install postgresql``), a throwaway cluster is made in a temporary folder,
listening on 127.0.0.1 on a free port, and removed at the end of the session. As root the
server runs as the ``postgres`` user (initdb refuses root). Otherwise the tests are skipped
with a reason that says how to run them - unless ``PLANAUDIT_REQUIRE_POSTGRES=1`` (set by
CI where the server programs are installed), where not getting a server is a failure.

Fixtures: ``postgres_server`` (session: the server's URL, database ``postgres``) and
``postgres_url`` (per test: a fresh, empty database on it).
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from _serve import free_port

__all__ = ["ENV_VAR", "REQUIRE_VAR", "SKIP_REASON", "postgres_server", "postgres_url", "unavailable"]

ENV_VAR = "PLANAUDIT_TEST_DATABASE_URL"
REQUIRE_VAR = "PLANAUDIT_REQUIRE_POSTGRES"
SKIP_REASON = f"no PostgreSQL server: set {ENV_VAR} or apt-get install postgresql"


def _bin_dir() -> Path | None:
    """The newest installed PostgreSQL server's programs (initdb, pg_ctl)."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0)
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found and shutil.which("pg_ctl") else None


class _Cluster:
    """initdb + pg_ctl in a temporary folder, as the postgres user when we are root."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="planaudit-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    def start(self) -> str | None:
        """None when running; else why not."""
        if self.as_postgres:
            if shutil.which("runuser") is None:
                return "running as root and runuser is missing (initdb refuses root)"
            shutil.chown(self.root, user="postgres", group=None)
        done = self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                         "--no-sync", "--locale=C")
        if done.returncode != 0:
            return f"initdb failed: {(done.stderr or done.stdout).strip().splitlines()[-1:]}"
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off"
        done = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60",
                         "start")
        if done.returncode != 0:
            tail = self.log.read_text(errors="replace").strip().splitlines()[-3:] if self.log.exists() else []
            return f"pg_ctl start failed: {done.stderr.strip()} {tail}"
        return None

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        if self.data.is_dir():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def _autocommit(url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=10) as connection:
        for statement in statements:
            connection.execute(statement)  # type: ignore[arg-type]


def unavailable(reason: str) -> None:
    """Skip: no server to test on; but fail where CI says the tests must run."""
    if os.environ.get(REQUIRE_VAR) == "1":
        pytest.fail(f"{REQUIRE_VAR}=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server for the session: its URL (``postgresql://...``)."""
    pytest.importorskip("psycopg", reason="psycopg is not installed: pip install planaudit[postgres]")
    given = os.environ.get(ENV_VAR)
    if given:
        yield given
        return
    bin_dir = _bin_dir()
    if bin_dir is None:
        unavailable(SKIP_REASON)
    cluster = _Cluster(bin_dir)
    try:
        problem = cluster.start()
        if problem:
            unavailable(f"{SKIP_REASON} (a throwaway server in {cluster.root} did not start: {problem})")
        yield cluster.url()
    finally:
        cluster.stop()


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database for one test: created on the throwaway server and dropped
    after; on a server from PLANAUDIT_TEST_DATABASE_URL that gives no right to create
    databases, that database itself with planaudit's tables dropped first."""
    from sqlalchemy.engine import make_url

    name = f"planaudit_test_{uuid.uuid4().hex[:12]}"
    try:
        _autocommit(postgres_server, f'CREATE DATABASE "{name}"')
    except Exception:  # no CREATEDB right: reuse the given database, emptied of planaudit's tables
        _autocommit(postgres_server, "DROP TABLE IF EXISTS planaudit_audits",
                    "DROP TABLE IF EXISTS planaudit_alembic_version")
        yield postgres_server
        return
    yield make_url(postgres_server).set(database=name).render_as_string(hide_password=False)
    _autocommit(postgres_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
