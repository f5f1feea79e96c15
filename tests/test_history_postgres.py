"""The audit history on PostgreSQL, as several server instances share it (DESIGN.md, "Scale").

Runs against ``PLANAUDIT_TEST_DATABASE_URL`` when set, else against a throwaway server when
the PostgreSQL programs are installed (tests/_postgres.py); skipped otherwise with a reason
that says how to get one. The store's ordinary tests run on PostgreSQL too
(tests/test_history.py, parametrised).
"""
from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from _history import GOOD, isolated_history, report_of
from _postgres import REQUIRE_VAR, SKIP_REASON, unavailable
from sqlalchemy.engine import make_url

from planaudit.history import HistoryError, HistoryStore, database_url
from planaudit.history._migrate import _LOCK_KEY, head_revision
from planaudit.history._tables import VERSION_TABLE

psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed: pip install planaudit[postgres]")

pytestmark = pytest.mark.usefixtures("isolated_history")
__all__ = ["isolated_history"]

_OPEN_AND_ADD = """
import sys
from planaudit.engine import audit
from planaudit.history import HistoryStore
with HistoryStore.open(sys.argv[1]) as store:
    store.add(audit(sys.argv[2]), document_name="god_plan.md", source="api")
"""


def test_server_instances_starting_together_migrate_once(postgres_url: str) -> None:
    """Four processes open a new database at the same moment: one migrates, the others wait
    on the advisory lock and find the schema done; every one stores its audit."""
    processes = [subprocess.Popen([sys.executable, "-c", _OPEN_AND_ADD, postgres_url, str(GOOD)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outcomes = [(process.wait(timeout=120), process.stderr.read()) for process in processes]  # type: ignore[union-attr]
    assert [code for code, _ in outcomes] == [0, 0, 0, 0], [err for _, err in outcomes]
    with HistoryStore.open(postgres_url) as store:
        assert [record.source for record in store.list()] == ["api"] * 4
    engine = sa.create_engine(database_url(postgres_url))
    with engine.connect() as connection:
        assert connection.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all() == [
            head_revision()]
    engine.dispose()


def test_opening_waits_for_the_migration_lock(postgres_url: str) -> None:
    """While another instance holds the lock, opening waits; it proceeds once released."""
    holder = psycopg.connect(make_url(postgres_url).render_as_string(hide_password=False), autocommit=True)
    holder.execute("SELECT pg_advisory_lock(%s)", (_LOCK_KEY,))
    opened: list[HistoryStore] = []
    thread = threading.Thread(target=lambda: opened.append(HistoryStore.open(postgres_url)))
    try:
        thread.start()
        thread.join(timeout=1.0)
        assert thread.is_alive() and opened == [], "opening did not wait for the migration lock"
    finally:
        holder.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_KEY,))
        holder.close()
    thread.join(timeout=60)
    assert len(opened) == 1
    opened[0].add(report_of(GOOD), document_name="god_plan.md")
    assert len(opened[0].list()) == 1
    opened[0].close()


def test_the_short_postgres_scheme_works(postgres_url: str) -> None:
    short = postgres_url.replace("postgresql://", "postgres://", 1)
    with HistoryStore.open(short) as store:
        assert store.url.startswith("postgres://")
        store.add(report_of(GOOD), document_name="god_plan.md")
        assert len(store.list()) == 1


def test_ping_fails_once_the_database_is_gone(postgres_server: str, postgres_url: str) -> None:
    """What the web service's /healthz turns into 503."""
    if postgres_url == postgres_server:
        pytest.skip("the test server gives no right to create and drop databases")
    store = HistoryStore.open(postgres_url)
    store.ping()
    name = make_url(postgres_url).database
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')  # type: ignore[arg-type]
    with pytest.raises(HistoryError) as caught:
        store.ping()
    assert "\n" not in caught.value.message("nb")
    assert caught.value.subject.startswith("postgresql://")
    with pytest.raises(HistoryError):
        store.list()
    store.close()


def test_a_missing_database_is_one_line(postgres_server: str) -> None:
    missing = make_url(postgres_server).set(database="planaudit_no_such_db").render_as_string(hide_password=False)
    with pytest.raises(HistoryError) as caught:
        HistoryStore.open(missing)
    nb = caught.value.message("nb")
    assert "\n" not in nb and "planaudit_no_such_db" in nb and "får ikke kontakt" in nb


def test_history_cli_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from planaudit.cli import cli

    runner = CliRunner()
    saved = runner.invoke(cli, ["check", str(GOOD), "--save-history", "--database", postgres_url, "-f", "json"])
    assert saved.exit_code == 0, saved.output
    listed = runner.invoke(cli, ["history", "--database", postgres_url, "-f", "json"])
    assert listed.exit_code == 0, listed.output
    assert '"document_name": "god_plan.md"' in listed.stdout


def test_no_server_fails_rather_than_skips_when_ci_requires_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REQUIRE_VAR, "1")
    with pytest.raises(pytest.fail.Exception, match="no PostgreSQL server"):
        unavailable(SKIP_REASON)
    monkeypatch.delenv(REQUIRE_VAR)
    with pytest.raises(pytest.skip.Exception, match="no PostgreSQL server"):
        unavailable(SKIP_REASON)
