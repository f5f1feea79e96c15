"""The audit history as the web service and the command line use it: what is stored comes
back unchanged, lists are in the order a reader expects, a municipality is found however it
is spelt, and a database that cannot be used is one line naming it.

Store tests run on SQLite and, when a server is available, on PostgreSQL (tests/_postgres.py).
"""
from __future__ import annotations

import sqlite3
import sys
import threading
import tomllib
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from fnmatch import fnmatch
from pathlib import Path

import pytest
import sqlalchemy as sa
from _history import GOOD, WEAK, isolated_history, report_of, with_municipality
from hypothesis import given
from hypothesis import strategies as st

from planaudit.engine import ReportContext
from planaudit.history import AuditRecord, HistoryError, HistoryStore, database_url, municipality_key
from planaudit.history._migrate import MIGRATIONS, head_revision
from planaudit.history._tables import VERSION_TABLE, audits
from planaudit.report import JsonReporter

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.usefixtures("isolated_history")
__all__ = ["isolated_history"]  # the fixture, imported for this module


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database no one has used: a SQLite file in tmp_path, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'historikk.sqlite3'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(url: str) -> Iterator[HistoryStore]:
    with HistoryStore.open(url) as opened:
        yield opened


T0 = datetime(2024, 3, 1, 9, 30, tzinfo=timezone.utc)


# --- where the history lives ------------------------------------------------------------------


def test_the_default_is_a_sqlite_file_in_the_user_data_folder_made_on_first_use(isolated_history: Path) -> None:
    expected = isolated_history / "planaudit" / "historikk.sqlite3"
    assert database_url() == f"sqlite:///{expected}"
    assert not expected.parent.exists(), "resolving the URL must not create anything"
    with HistoryStore.open() as store:
        assert store.list() == []
        store.add(report_of(GOOD), document_name="god_plan.md")
    assert expected.is_file()
    with HistoryStore.open() as store:  # the next process finds it
        assert [record.document_name for record in store.list()] == ["god_plan.md"]


def test_the_environment_variable_then_an_explicit_url_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANAUDIT_DATABASE_URL", "sqlite:////srv/env.sqlite3")
    assert database_url() == "sqlite:////srv/env.sqlite3"
    assert database_url("sqlite:////srv/given.sqlite3") == "sqlite:////srv/given.sqlite3"


@pytest.mark.parametrize("given_url", ["postgresql://u:p@db.example:5433/plans", "postgres://u:p@db.example:5433/plans"])
def test_postgres_urls_get_the_psycopg_driver(given_url: str) -> None:
    assert database_url(given_url) == "postgresql+psycopg://u:p@db.example:5433/plans"


def test_a_plain_path_is_a_sqlite_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert database_url("mine.sqlite3") == f"sqlite:///{tmp_path / 'mine.sqlite3'}"


# --- what comes back --------------------------------------------------------------------------


def test_a_stored_report_comes_back_as_the_same_json(store: HistoryStore) -> None:
    report = report_of(GOOD)
    record = store.add(report, document_name="god_plan.md", source="api")
    assert store.report(record.id) == report
    assert store.report(record.id).model_dump_json() == report.model_dump_json()  # type: ignore[union-attr]
    json_reporter, context = JsonReporter(), ReportContext()
    assert json_reporter.render([store.report(record.id)], context) == json_reporter.render([report], context)  # type: ignore[list-item]


def test_the_record_holds_the_reports_metadata(store: HistoryStore) -> None:
    report = report_of(GOOD)
    before = datetime.now(timezone.utc)
    record = store.add(report, document_name="god_plan.md", source="web")
    assert len(record.id) == 32 and int(record.id, 16) >= 0
    assert record.created.tzinfo is not None and record.created.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=1) <= record.created <= datetime.now(timezone.utc) + timedelta(seconds=1)
    assert (record.municipality, record.title, record.period) == (
        report.plan.municipality, report.plan.title, report.plan.period)
    assert (record.document_sha256, record.document_format, record.pages) == (
        report.document.sha256, report.document.format, report.document.pages)
    assert (record.profile, record.score, record.passed, record.planaudit_version, record.source) == (
        report.profile, report.score, report.passed, report.planaudit_version, "web")
    assert store.get(record.id) == record


def test_a_plan_without_municipality_or_period_is_stored(store: HistoryStore) -> None:
    report = with_municipality(report_of(WEAK), None).model_copy(
        update={"plan": report_of(WEAK).plan.model_copy(update={"municipality": None, "period": None})})
    record = store.add(report, document_name="x.md")
    fetched = store.get(record.id)
    assert fetched is not None and fetched.municipality is None and fetched.period is None
    assert store.municipalities() == []


@pytest.mark.parametrize("name", ["C:\\Users\\ola\\Planer\\plan.pdf", "/home/ola/planer/plan.pdf", "plan.pdf"])
def test_the_document_name_keeps_no_folder(store: HistoryStore, name: str) -> None:
    assert store.add(report_of(GOOD), document_name=name).document_name == "plan.pdf"


@pytest.mark.parametrize("audit_id", ["", "0" * 32, "not-an-id", "'; DROP TABLE planaudit_audits; --", "A" * 32])
def test_an_unknown_or_malformed_id_gives_none(store: HistoryStore, audit_id: str) -> None:
    store.add(report_of(GOOD), document_name="god_plan.md")
    assert store.get(audit_id) is None
    assert store.report(audit_id) is None
    assert store.document(audit_id) is None
    assert len(store.list()) == 1


def test_documents_are_kept_only_when_given(store: HistoryStore) -> None:
    content = GOOD.read_bytes() + b"\x00\xff binary tail"
    kept = store.add(report_of(GOOD), document_name="god_plan.md", document=content)
    not_kept = store.add(report_of(GOOD), document_name="god_plan.md")
    assert kept.has_document and not not_kept.has_document
    assert store.document(kept.id) == content
    assert store.document(not_kept.id) is None
    assert {record.id: record.has_document for record in store.list()} == {kept.id: True, not_kept.id: False}


# --- order and matching -----------------------------------------------------------------------


def test_the_list_is_newest_first_with_limit_and_offset(store: HistoryStore) -> None:
    added = [store.add(with_municipality(report_of(GOOD), f"Kommune {n}"), document_name=f"{n}.md") for n in range(5)]
    newest_first = [record.id for record in reversed(added)]
    assert [record.id for record in store.list()] == newest_first
    assert [record.id for record in store.list(limit=2)] == newest_first[:2]
    assert [record.id for record in store.list(limit=2, offset=2)] == newest_first[2:4]
    assert [record.id for record in store.list(limit=None)] == newest_first
    with pytest.raises(ValueError):
        store.list(limit=-1)


def test_the_list_orders_by_time_not_by_insertion(store: HistoryStore) -> None:
    late = store.add(report_of(GOOD), document_name="late.md", created=T0 + timedelta(days=2))
    early = store.add(report_of(GOOD), document_name="early.md", created=T0)
    middle = store.add(report_of(GOOD), document_name="middle.md", created=T0 + timedelta(days=1))
    assert [record.id for record in store.list()] == [late.id, middle.id, early.id]


def test_a_municipality_is_found_however_it_is_spelt(store: HistoryStore) -> None:
    good, weak = report_of(GOOD), report_of(WEAK)
    ids = {store.add(with_municipality(good, name), document_name="p.md").id
           for name in ("Storlia", "Storlia kommune", "STORLIA KOMMUNE", " storlia  ")}
    other = store.add(with_municipality(weak, "Storli"), document_name="s.md")
    store.add(with_municipality(weak, "Nord-Storlia kommune"), document_name="n.md")
    for query in ("Storlia", "storlia kommune", "Storlia Kommune", "STORLIA"):
        assert {record.id for record in store.list(municipality=query)} == ids, query
    assert [record.id for record in store.list(municipality="Storli")] == [other.id]
    assert store.list(municipality="Fjellvik") == []
    assert len(store.list(municipality="")) == 6  # an empty filter is no filter (a web form left blank)


def test_the_trend_is_oldest_first_for_one_municipality(store: HistoryStore) -> None:
    good = report_of(GOOD)
    scores = {2: 70, 0: 40, 1: 55}  # day -> score, added out of order
    for day, score in scores.items():
        store.add(with_municipality(good, "Storlia kommune" if day else "Storlia", score), document_name="p.md",
                  created=T0 + timedelta(days=day))
    store.add(with_municipality(good, "Fjellvik", 99), document_name="f.md", created=T0 + timedelta(days=5))
    trend = store.trend("storlia")
    assert [record.score for record in trend] == [40, 55, 70]
    assert [record.created for record in trend] == sorted(record.created for record in trend)
    assert store.trend("Ingensteds") == []


def test_municipalities_count_spellings_together_in_norwegian_order(store: HistoryStore) -> None:
    good = report_of(GOOD)
    for name in ("Ås", "Øygarden", "Storlia", "Storlia kommune", "Ærø", "Bergen kommune"):
        store.add(with_municipality(good, name), document_name="p.md")
    assert store.municipalities() == [
        ("Bergen kommune", 1), ("Storlia kommune", 2), ("Ærø", 1), ("Øygarden", 1), ("Ås", 1)]


# the letters of Norwegian and Sámi municipality names (e.g. Guovdageaidnu, Ørland, Ås)
_NAME_CHARS = "abcdefghijklmnopqrstuvwxyzæøåáčđŋšŧžäöüé" + "ABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅÁČĐŊŠŦŽÄÖÜÉ" + " -\t"


@given(st.text(alphabet=_NAME_CHARS, min_size=1, max_size=30))
def test_municipality_key_ignores_case_spaces_and_the_word_kommune(name: str) -> None:
    key = municipality_key(name)
    assert key == municipality_key(name.upper()) == municipality_key(f"  {name}  ")
    if key and "kommune" not in key.split():
        assert municipality_key(f"{name} kommune") == key
        assert municipality_key(f"{name} Kommune") == key


# --- the schema -------------------------------------------------------------------------------


def test_opening_creates_the_schema_at_the_newest_migration(url: str) -> None:
    HistoryStore.open(url).close()
    engine = sa.create_engine(database_url(url))
    try:
        inspector = sa.inspect(engine)
        assert {audits.name, VERSION_TABLE} <= set(inspector.get_table_names())
        with engine.connect() as connection:
            assert connection.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar() == head_revision()
        # the migrations make exactly the tables the queries use
        columns = {column["name"]: column["nullable"] for column in inspector.get_columns(audits.name)}
        assert columns == {column.name: column.nullable for column in audits.columns}
        indexes = {index["name"] for index in inspector.get_indexes(audits.name)}
        assert indexes == {str(index.name) for index in audits.indexes}
    finally:
        engine.dispose()


def test_reopening_an_existing_history_keeps_it(url: str) -> None:
    with HistoryStore.open(url) as store:
        first = store.add(report_of(GOOD), document_name="god_plan.md")
    with HistoryStore.open(url) as store:
        assert store.get(first.id) == first
        second = store.add(report_of(WEAK), document_name="svak_plan.md")
        assert [record.id for record in store.list()] == [second.id, first.id]


def test_a_schema_newer_than_this_planaudit_is_refused(url: str) -> None:
    with HistoryStore.open(url) as store:
        store.add(report_of(GOOD), document_name="god_plan.md")
    engine = sa.create_engine(database_url(url))
    with engine.begin() as connection:
        connection.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(HistoryError) as caught:
        HistoryStore.open(url)
    message = caught.value.message("nb")
    assert "9999_future" in message and "nyere" in message and "oppgrader planaudit" in message
    assert "newer" in caught.value.message("en")
    assert "\n" not in message


def test_the_migrations_ship_with_the_package() -> None:
    """Every file Alembic needs is matched by pyproject's package-data, so a wheel has them."""
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["setuptools"]["package-data"]["planaudit.history"]
    files = [path.relative_to(MIGRATIONS.parent).as_posix() for path in MIGRATIONS.rglob("*")
             if path.is_file() and "__pycache__" not in path.parts]
    assert "migrations/env.py" in files and "migrations/versions/0001_audits.py" in files
    assert [name for name in files if not any(fnmatch(name, pattern) for pattern in patterns)] == []


# --- many at once -----------------------------------------------------------------------------


def test_threads_can_add_at_the_same_time(url: str) -> None:
    report = report_of(GOOD)
    errors: list[BaseException] = []
    ids: list[str] = []
    barrier = threading.Barrier(8)
    with HistoryStore.open(url) as store:

        def work() -> None:
            try:
                barrier.wait()
                for _ in range(5):
                    ids.append(store.add(report, document_name="god_plan.md").id)
                    store.list(limit=3)
            except BaseException as err:  # noqa: BLE001 - the test reports it
                errors.append(err)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert len(set(ids)) == 40
        assert {record.id for record in store.list(limit=None)} == set(ids)


def test_several_processes_may_open_a_new_database_at_once(url: str) -> None:
    """Server instances starting together: each migrates or waits, none fails."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def work() -> None:
        try:
            barrier.wait()
            with HistoryStore.open(url) as store:
                store.add(report_of(GOOD), document_name="god_plan.md")
        except BaseException as err:  # noqa: BLE001
            errors.append(err)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with HistoryStore.open(url) as store:
        assert len(store.list()) == 4


def test_many_processes_opening_new_sqlite_files_at_once_never_find_them_locked(tmp_path: Path) -> None:
    """Switching a new SQLite file to WAL fails at once, without the busy timeout, while
    another connection switches it; opening must wait instead. A race, so tried on ten
    new files with six openers each."""
    report = report_of(GOOD)
    for attempt in range(10):
        url = f"sqlite:///{tmp_path / f'h{attempt}.sqlite3'}"
        errors: list[BaseException] = []
        barrier = threading.Barrier(6)

        def work() -> None:
            try:
                barrier.wait()
                with HistoryStore.open(url) as store:
                    store.add(report, document_name="god_plan.md")
            except BaseException as err:  # noqa: BLE001 - the test reports it
                errors.append(err)

        threads = [threading.Thread(target=work) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == [], f"new file {attempt}: {errors[0]}"


# --- databases that cannot be used ------------------------------------------------------------


def _one_line(err: HistoryError) -> tuple[str, str]:
    nb, en = err.message("nb"), err.message("en")
    assert "\n" not in nb and "\n" not in en
    return nb, en


def test_a_folder_that_cannot_be_created_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(HistoryError) as caught:
        HistoryStore.open(f"sqlite:///{blocker / 'sub' / 'historikk.sqlite3'}")
    nb, en = _one_line(caught.value)
    assert str(blocker / "sub") in nb and "kan ikke opprette mappen" in nb
    assert "cannot create the folder" in en


def test_a_file_that_is_no_database_is_one_line_and_left_alone(tmp_path: Path) -> None:
    not_db = tmp_path / "notes.txt"
    not_db.write_text("handlingsplan\n" * 200)
    before = not_db.read_bytes()
    with pytest.raises(HistoryError) as caught:
        HistoryStore.open(str(not_db))
    nb, _ = _one_line(caught.value)
    assert str(not_db) in nb and "not a database" in nb
    assert not_db.read_bytes() == before


def test_an_unreachable_server_is_one_line_with_the_password_masked() -> None:
    pytest.importorskip("psycopg", reason="psycopg is not installed: pip install planaudit[postgres]")
    with pytest.raises(HistoryError) as caught:
        HistoryStore.open("postgresql://planer:hemmelig@127.0.0.1:1/historikk")
    nb, en = _one_line(caught.value)
    assert "hemmelig" not in nb + en + str(caught.value)
    assert nb.startswith("postgresql://planer:***@127.0.0.1:1/historikk: ")
    assert "får ikke kontakt med databasetjeneren" in nb and "cannot reach the database server" in en


def test_a_missing_postgres_driver_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now fails as if not installed
    with pytest.raises(HistoryError) as caught:
        HistoryStore.open("postgresql://planer@db.example/historikk")
    nb, en = _one_line(caught.value)
    assert "installer planaudit[postgres]" in nb and "install planaudit[postgres]" in en


@pytest.mark.parametrize(("given_url", "expected"), [
    ("mysql://u@h/db", "støttes ikke"),
    ("sqlite:///:memory:", None),
])
def test_only_sqlite_and_postgresql(given_url: str, expected: str | None) -> None:
    if expected is None:
        with HistoryStore.open(given_url) as store:  # in memory, for tests and trials
            store.add(report_of(GOOD), document_name="god_plan.md")
            assert len(store.list()) == 1
        return
    with pytest.raises(HistoryError) as caught:
        HistoryStore.open(given_url)
    assert expected in caught.value.message("nb")


def test_ping_answers_for_a_working_database(store: HistoryStore) -> None:
    store.ping()


def test_a_record_is_frozen(store: HistoryStore) -> None:
    record = store.add(report_of(GOOD), document_name="god_plan.md")
    assert isinstance(record, AuditRecord)
    with pytest.raises(Exception):
        record.score = 0  # type: ignore[misc]


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    """Readers (the web page) never wait for a writer (an upload being stored)."""
    path = tmp_path / "h.sqlite3"
    HistoryStore.open(str(path)).close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
