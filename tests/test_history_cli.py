"""``planaudit history`` and ``check --save-history`` as a user at a terminal sees them:
past audits newest first, a municipality's trend, a stored report in any format, and one
line with exit code 2 for an id or a database that does not work."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from _cli import assert_clean_exit, one_line_error
from _history import GOOD, WEAK, isolated_history, report_of, with_municipality
from click.testing import CliRunner, Result

from planaudit.cli import cli
from planaudit.history import HistoryStore

pytestmark = pytest.mark.usefixtures("isolated_history", "isolated_cwd")
__all__ = ["isolated_history"]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def ok(*args: str | Path) -> Result:
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert_clean_exit(result)
    return result


def _stored_trend() -> list[str]:
    """Three audits of Storlia (40, 55, 70 points, spelt two ways) and one of Fjellvik; ids oldest first."""
    good = report_of(GOOD)
    with HistoryStore.open() as store:
        first = store.add(with_municipality(good, "Storlia", 40), document_name="utkast.pdf", source="web")
        t0 = first.created
        ids = [first.id] + [
            store.add(with_municipality(good, "Storlia kommune", score), document_name=f"v{n}.pdf",
                      created=t0 + timedelta(days=n)).id
            for n, score in ((1, 55), (2, 70))]
        store.add(report_of(WEAK), document_name="svak_plan.md", created=t0 + timedelta(days=3))
    return ids


def test_an_empty_history_is_a_friendly_line() -> None:
    result = ok("history")
    assert "Ingen revisjoner i historikken ennå" in result.stdout
    assert "--save-history" in result.stdout
    assert "No audits in the history yet" in ok("history", "--lang", "en").stdout
    assert json.loads(ok("history", "-f", "json").stdout) == []
    assert ok("history", "-f", "csv").stdout.splitlines()[0].startswith("id,created,municipality")


def test_check_save_history_then_history_lists_it_newest_first(isolated_history: Path) -> None:
    checked = run("check", GOOD, WEAK, "--save-history", "-f", "json")
    assert checked.exit_code in (0, 1), checked.output
    reports = json.loads(checked.stdout)  # standard output stays the report alone
    assert len(reports) == 2
    assert (isolated_history / "planaudit" / "historikk.sqlite3").is_file()
    listed = ok("history")
    lines = listed.stdout.splitlines()
    strandnes = next(i for i, line in enumerate(lines) if "Strandnes" in line)
    fjellvik = next(i for i, line in enumerate(lines) if "Fjellvik" in line)
    assert strandnes < fjellvik, "the plan audited last is listed first"
    for header in ("Dato", "Kommune", "Plan", "Profil", "Poeng", "Bestått", "ID"):
        assert header in listed.stdout
    records = json.loads(ok("history", "-f", "json").stdout)
    assert [record["document_name"] for record in records] == ["svak_plan.md", "god_plan.md"]
    assert [record["score"] for record in records] == [reports[1]["score"], reports[0]["score"]]
    assert {record["source"] for record in records} == {"cli"}
    assert all(record["id"] in listed.stdout for record in records)


def test_without_save_history_nothing_is_stored(isolated_history: Path) -> None:
    assert run("check", GOOD).exit_code == 0
    assert not (isolated_history / "planaudit").exists()


def test_municipality_shows_its_trend_oldest_first() -> None:
    ids = _stored_trend()
    out = ok("history", "-m", "storlia kommune").stdout
    assert "Strandnes" not in out and "Fjellvik" not in out
    trend = out[out.index("Utvikling for Storlia"):]
    rows = [line for line in trend.splitlines() if "█" in line or "·" in line]
    assert [row.split()[2:5] for row in rows] == [["kommune", "40", "–"], ["kommune", "55", "+15"],
                                                  ["kommune", "70", "+15"]]
    assert "Samlet endring: +30 poeng over 3 revisjon(er) (40 → 70)." in trend
    listed = out[: out.index("Utvikling")]
    assert listed.index(ids[2]) < listed.index(ids[1]) < listed.index(ids[0])
    english = ok("history", "-m", "Storlia", "--lang", "en").stdout
    assert "Trend for Storlia" in english and "Overall change: +30 points" in english


def _stored_profile_switch() -> list[str]:
    """Storlia by kommune (54), by husbanken (100), by kommune again (60); ids oldest first."""
    good = report_of(GOOD)
    with HistoryStore.open() as store:
        first = store.add(with_municipality(good, "Storlia", 54), document_name="v1.pdf")
        second = store.add(with_municipality(good, "Storlia", 100).model_copy(update={"profile": "husbanken"}),
                           document_name="v1.pdf", created=first.created + timedelta(days=1))
        third = store.add(with_municipality(good, "Storlia", 60), document_name="v2.pdf",
                          created=first.created + timedelta(days=2))
    return [first.id, second.id, third.id]


def test_the_trend_compares_only_audits_made_with_the_same_profile() -> None:
    _stored_profile_switch()
    out = ok("history", "-m", "Storlia").stdout
    trend = out[out.index("Utvikling for Storlia"):]
    rows = [line.split() for line in trend.splitlines() if "█" in line or "·" in line]
    assert [(row[2], row[3], row[4]) for row in rows] == [("kommune", "54", "–"), ("husbanken", "100", "–"),
                                                          ("kommune", "60", "+6")]
    assert "+46" not in trend and "-40" not in trend
    assert "Profil" in trend.splitlines()[1]
    assert "bare mellom revisjoner med samme profil" in trend
    assert "Samlet endring med profilen kommune: +6 poeng over 2 revisjon(er) (54 → 60)." in trend
    assert "Profilen husbanken: bare én revisjon så langt." in trend
    english = ok("history", "-m", "Storlia", "--lang", "en").stdout
    assert "Overall change with the profile kommune: +6 points over 2 audit(s) (54 → 60)." in english
    data = json.loads(ok("history", "-m", "Storlia", "-f", "json").stdout)["trend"]
    assert [(p["profile"], p["score"], p["change"]) for p in data["points"]] == [
        ("kommune", 54, None), ("husbanken", 100, None), ("kommune", 60, 6)]
    assert (data["profile"], data["first"], data["last"], data["change"]) == ("kommune", 54, 60, 6)
    assert data["profiles"] == [{"profile": "kommune", "audits": 2, "first": 54, "last": 60, "change": 6},
                                {"profile": "husbanken", "audits": 1, "first": 100, "last": 100, "change": None}]


def test_municipality_in_json_holds_audits_and_trend() -> None:
    ids = _stored_trend()
    data = json.loads(ok("history", "-m", "Storlia", "-f", "json").stdout)
    assert [audit["id"] for audit in data["audits"]] == list(reversed(ids))
    assert [point["score"] for point in data["trend"]["points"]] == [40, 55, 70]
    assert [point["change"] for point in data["trend"]["points"]] == [None, 15, 15]
    assert data["trend"]["change"] == 30


def test_limit_keeps_the_newest() -> None:
    ids = _stored_trend()
    data = json.loads(ok("history", "-m", "Storlia", "-f", "json", "--limit", "2").stdout)
    assert [audit["id"] for audit in data["audits"]] == [ids[2], ids[1]]
    assert [point["id"] for point in data["trend"]["points"]] == [ids[1], ids[2]]


def test_csv_has_one_row_per_audit() -> None:
    _stored_trend()
    rows = list(csv.DictReader(io.StringIO(ok("history", "-f", "csv").stdout)))
    assert len(rows) == 4
    assert rows[0]["municipality"] == "Strandnes" and rows[0]["document_name"] == "svak_plan.md"
    assert [row["score"] for row in rows[1:]] == ["70", "55", "40"]
    assert {row["passed"] for row in rows} <= {"true", "false", ""}
    assert rows[1]["created"].endswith("Z")


def test_show_prints_a_stored_report_in_any_format(tmp_path: Path) -> None:
    checked = run("check", GOOD, "--save-history", "-f", "json")
    audit_id = json.loads(ok("history", "-f", "json").stdout)[0]["id"]
    assert ok("history", "show", audit_id, "-f", "json").stdout == checked.stdout
    table = ok("history", "show", audit_id).stdout
    assert "Konkrete og målbare mål" in table and "Poengsum" in table
    assert "Concrete, measurable goals" in ok("history", "show", audit_id, "--lang", "en").stdout
    assert "Concrete, measurable goals" in ok("history", "--lang", "en", "show", audit_id).stdout
    out = tmp_path / "rapport.html"
    ok("history", "show", audit_id, "-f", "html", "-o", out)
    assert out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    sarif = json.loads(ok("history", "show", audit_id.upper(), "-f", "sarif").stdout)
    assert sarif["version"] == "2.1.0"


@pytest.mark.parametrize("audit_id", ["0123456789abcdef0123456789abcdef", "ikke-en-id"])
def test_an_unknown_id_is_one_line(audit_id: str) -> None:
    _stored_trend()
    line = one_line_error(run("history", "show", audit_id))
    assert line.startswith(f"planaudit: {audit_id}: ingen revisjon med denne ID-en")
    line = one_line_error(run("history", "show", audit_id, "--lang", "en"))
    assert "no audit with this id" in line


def test_an_unknown_format_is_one_line() -> None:
    ids = _stored_trend()
    assert "ukjent format" in one_line_error(run("history", "show", ids[0], "-f", "pdf"))


@pytest.mark.parametrize("args", [
    ("history",), ("history", "show", "0" * 32), ("check", str(GOOD), "--save-history"),
])
def test_a_database_that_cannot_be_reached_is_one_line(args: tuple[str, ...]) -> None:
    pytest.importorskip("psycopg", reason="psycopg is not installed: pip install planaudit[postgres]")
    line = one_line_error(run(*args, "--database", "postgresql://planer:hemmelig@127.0.0.1:1/historikk"))
    assert "hemmelig" not in line
    assert line.startswith("planaudit: postgresql://planer:***@127.0.0.1:1/historikk: får ikke kontakt")


def test_a_bad_database_from_the_environment_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANAUDIT_DATABASE_URL", "oracle://x@y/z")
    line = one_line_error(run("history", "--lang", "en"))
    assert "oracle" in line and "not supported" in line


def test_check_fails_before_auditing_when_the_history_cannot_be_opened(tmp_path: Path) -> None:
    blocker = tmp_path / "fil"
    blocker.write_text("x")
    result = run("check", GOOD, "--save-history", "--database", blocker / "mappe" / "h.sqlite3", "-f", "json")
    assert "kan ikke opprette mappen" in one_line_error(result)
    assert result.stdout == "", "no report is printed when it cannot be stored"


def test_database_without_save_history_is_a_usage_error(tmp_path: Path) -> None:
    line = one_line_error(run("check", GOOD, "--database", tmp_path / "h.sqlite3"))
    assert "--database" in line and "--save-history" in line


def test_save_history_to_an_explicit_file(tmp_path: Path, isolated_history: Path) -> None:
    database = tmp_path / "egen" / "historikk.sqlite3"
    assert run("check", GOOD, "--save-history", "--database", database).exit_code == 0
    assert database.is_file() and not (isolated_history / "planaudit").exists()
    assert "god_plan.md" in ok("history", "--database", database, "-f", "json").stdout
    assert json.loads(ok("history", "-f", "json").stdout) == []


def test_the_command_line_starts_without_the_database_libraries(tmp_path: Path) -> None:
    """planaudit check without --save-history imports neither SQLAlchemy nor Alembic."""
    code = (
        "import sys\n"
        "from planaudit.cli import cli\n"
        "try:\n"
        f"    cli.main(['check', {str(GOOD)!r}, '-f', 'json'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'alembic', 'psycopg'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
