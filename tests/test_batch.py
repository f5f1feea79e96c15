"""Batch review: ``planaudit check FOLDER --jobs N --summary FILE``.

What a user running a few hundred plans notices: every plan file under the folder is
audited (and nothing else), the output is the same however many processes ran it, one
corrupt file is one line on stderr while the rest are still audited and summarised, the
summary ranks the plans and links to their reports, and a terminal shows a progress bar.
The process-pool tests use a handful of small plans so that they stay fast.
"""
from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import pty
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from planaudit.cli import _batch, cli
from planaudit.cli._summary import report_folder, report_name
from planaudit.engine import default_registry
from planaudit.errors import PlanauditError

from _cli import on_a_terminal

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PLANS = FIXTURES / "plans"
GOOD = PLANS / "god_plan.md"
WEAK = PLANS / "svak_plan.md"
MEDIUM = PLANS / "nynorsk_plan.md"
DOCX = PLANS / "formats" / "plan_nb.docx"

pytestmark = pytest.mark.usefixtures("isolated_cwd")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def assert_no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


def plan_folder(root: Path) -> Path:
    """Four small plans, one in a subfolder and one a Word file."""
    folder = root / "planer"
    (folder / "nord").mkdir(parents=True)
    shutil.copy(GOOD, folder / "b_god.md")
    shutil.copy(WEAK, folder / "a_svak.md")
    shutil.copy(MEDIUM, folder / "nord" / "nynorsk.md")
    shutil.copy(DOCX, folder / "c_plan.docx")
    return folder


def paths(result: Result) -> list[str]:
    data = json.loads(result.stdout)
    return [report["document"]["path"] for report in (data if isinstance(data, list) else [data])]


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


# --- which files a folder gives ------------------------------------------------------------


def test_folder_expands_to_its_plan_files_sorted_with_hidden_and_other_files_left_out(tmp_path: Path) -> None:
    folder = plan_folder(tmp_path)
    (folder / ".skjult").mkdir()
    shutil.copy(GOOD, folder / ".skjult" / "gjemt.md")
    shutil.copy(GOOD, folder / ".gjemt.md")
    (folder / "planaudit.toml").write_text('profile = "kommune"\n', encoding="utf-8")
    (folder / "tall.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (folder / "bilde.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "etiketter.yaml").write_text("plans:\n  a_svak: {goals: 1}\n", encoding="utf-8")
    (folder / "package.json").write_text('{"name": "planer"}\n', encoding="utf-8")
    shutil.copy(PLANS / "god_plan.yaml", folder / "nord" / "strukturert.yaml")
    result = run("check", folder, "--format", "json", "--jobs", "1")
    assert result.exit_code in (0, 1), result.output
    assert paths(result) == [str(folder / name) for name in ("a_svak.md", "b_god.md", "c_plan.docx",
                                                              "nord/nynorsk.md", "nord/strukturert.yaml")]


def test_files_and_folders_mix_in_the_order_given(tmp_path: Path) -> None:
    folder = plan_folder(tmp_path)
    result = run("check", GOOD, folder / "nord", WEAK, "--format", "json", "--jobs", "1")
    assert result.exit_code in (0, 1), result.output
    assert paths(result) == [str(GOOD), str(folder / "nord" / "nynorsk.md"), str(WEAK)]


def test_reports_planaudit_wrote_into_the_folder_are_not_audited_as_plans(tmp_path: Path) -> None:
    folder = plan_folder(tmp_path)
    first = run("check", folder, "--format", "json", "--output", folder / "alle.json", "--jobs", "1")
    assert first.exit_code in (0, 1), first.output
    run("check", GOOD, "--format", "json", "--output", folder / "en.json")
    run("check", GOOD, "--format", "markdown", "--output", folder / "rapport.md")
    again = run("check", folder, "--format", "json", "--jobs", "1")
    assert again.exit_code in (0, 1), again.stderr
    assert again.stderr == ""
    assert len(paths(again)) == 4


@pytest.mark.parametrize("content", [None, "notater.csv"])
def test_folder_without_plan_files_is_one_line_usage_error(tmp_path: Path, content: str | None) -> None:
    folder = tmp_path / "tom"
    folder.mkdir()
    if content:
        (folder / content).write_text("x\n", encoding="utf-8")
    result = run("check", folder)
    assert result.exit_code == 2
    assert_no_traceback(result)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and str(folder) in lines[0] and "ingen planfiler" in lines[0], result.stderr
    assert result.stdout == ""


def test_expand_inputs_lists_each_plan_once(tmp_path: Path) -> None:
    folder = plan_folder(tmp_path)
    extensions = _batch.plan_extensions(default_registry().readers)
    assert {".pdf", ".docx", ".odt", ".html", ".md", ".txt", ".yaml", ".json"} <= extensions
    files = _batch.expand_inputs([folder / "a_svak.md", folder], extensions)
    assert files[0] == folder / "a_svak.md"
    assert sorted(str(f) for f in files) == sorted(str(f) for f in set(files))
    assert len(files) == 4


# --- parallel and in order ---------------------------------------------------------------


def test_jobs_1_and_jobs_2_give_the_same_json(tmp_path: Path) -> None:
    folder = plan_folder(tmp_path)
    one = run("check", folder, "--format", "json", "--jobs", "1")
    two = run("check", folder, "--format", "json", "--jobs", "2")
    assert one.exit_code == two.exit_code
    assert one.exit_code in (0, 1), one.output
    assert len(paths(one)) == 4
    assert one.stdout == two.stdout


def corrupt_folder(root: Path) -> tuple[Path, list[Path]]:
    """Good plans and two corrupt files: a truncated Word file and binary junk named .pdf."""
    folder = plan_folder(root)
    truncated = folder / "nord" / "avkortet.docx"
    truncated.write_bytes(DOCX.read_bytes()[:2000])
    junk = folder / "skade.pdf"
    shutil.copy(FIXTURES / "broken" / "binary.dat", junk)
    return folder, [truncated, junk]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_corrupt_files_are_one_line_each_and_the_rest_still_audited(tmp_path: Path, jobs: str) -> None:
    folder, bad = corrupt_folder(tmp_path)
    summary = tmp_path / "oversikt.csv"
    result = run("check", folder, "--format", "json", "--jobs", jobs, "--summary", summary)
    assert result.exit_code == 2
    assert_no_traceback(result)
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    assert all(line.startswith("planaudit: ") for line in lines)
    assert [any(str(path) in line for line in lines) for path in bad] == [True, True]
    assert len(paths(result)) == 4
    rows = read_csv(summary)
    assert len(rows) == 1 + 4 + 2
    assert [row[0] for row in rows[1:5]] != ["", "", "", ""]
    failed = rows[5:]
    assert sorted(row[-2] for row in failed) == sorted(str(path) for path in bad)
    assert all(row[5] == "feil" and row[-1] for row in failed)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bug_while_auditing_one_file_is_one_line(tmp_path: Path, jobs: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    if jobs == "2" and multiprocessing.get_start_method() != "fork":
        pytest.skip("workers see the patched audit only when forked")
    real = _batch.audit

    def buggy(path: Path, **options: Any) -> Any:
        if Path(path).name == "b_god.md":
            raise ZeroDivisionError("division by zero")
        return real(path, **options)

    monkeypatch.setattr(_batch, "audit", buggy)
    folder = plan_folder(tmp_path)
    result = run("check", folder, "--format", "json", "--jobs", jobs)
    assert result.exit_code == 2
    assert_no_traceback(result)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert str(folder / "b_god.md") in lines[0] and "ZeroDivisionError" in lines[0]
    assert len(paths(result)) == 3


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="workers see the patch only when forked")
def test_a_worker_process_that_dies_loses_only_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = _batch.audit

    def fatal(path: Path, **options: Any) -> Any:
        if Path(path).name == "a_svak.md":
            os._exit(9)  # as a segfault in a native library would: no exception, no clean-up
        return real(path, **options)

    monkeypatch.setattr(_batch, "audit", fatal)
    folder = plan_folder(tmp_path)
    result = run("check", folder, "--format", "json", "--jobs", "2")
    assert result.exit_code == 2
    assert_no_traceback(result)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert str(folder / "a_svak.md") in lines[0] and "stoppet uventet" in lines[0]
    assert paths(result) == [str(folder / name) for name in ("b_god.md", "c_plan.docx", "nord/nynorsk.md")]


def test_jobs_from_configuration_and_invalid_value(tmp_path: Path) -> None:
    (tmp_path / "planaudit.toml").write_text("jobs = 0\n", encoding="utf-8")
    result = run("check", GOOD)
    assert result.exit_code == 2
    assert "jobs" in result.stderr and "planaudit.toml" in result.stderr
    (tmp_path / "planaudit.toml").write_text("jobs = 2\n", encoding="utf-8")
    assert run("check", GOOD, WEAK, "--format", "json").exit_code in (0, 1)
    assert run("check", GOOD, "--jobs", "0").exit_code == 2


# --- the summary ---------------------------------------------------------------------------


def summary_rows(tmp_path: Path, *extra: str) -> tuple[Result, list[list[str]]]:
    folder = plan_folder(tmp_path)
    summary = tmp_path / "oversikt.csv"
    result = run("check", folder, "--summary", summary, "--jobs", "2", *extra)
    assert result.exit_code in (0, 1), result.output
    return result, read_csv(summary)


def test_summary_csv_ranks_plans_by_score_with_bokmaal_headers(tmp_path: Path) -> None:
    result, rows = summary_rows(tmp_path, "--format", "json")
    header, body = rows[0], rows[1:]
    assert header[:6] == ["Rang", "Kommune", "Tittel", "Periode", "Poengsum", "Resultat"]
    for short in ("Mål", "Ansvar", "Frister", "Kostnader", "Medvirkning", "Oppfølging"):
        assert short in header
    assert header[-6:] == ["Åpne funn", "Funn: feil", "Funn: advarsel", "Funn: info", "Fil", "Feilmelding"]
    assert len(body) == 4 and all(len(row) == len(header) for row in body)
    reports = {report["document"]["path"]: report for report in json.loads(result.stdout)}
    scores = [int(row[4]) for row in body]
    assert scores == sorted(scores, reverse=True)
    assert [row[0] for row in body][0] == "1"
    for row in body:
        report = reports[row[-2]]
        assert int(row[4]) == report["score"]
        assert row[2] == (report["plan"]["title"] or "")
        assert row[header.index("Ansvar")] == str(report["criteria"]["responsibility"]["level"])
        assert int(row[header.index("Åpne funn")]) == len(report["findings"])
        assert row[5] in ("bestått", "ikke bestått")
    weak = next(row for row in body if row[-2].endswith("a_svak.md"))
    assert weak == body[-1] and weak[5] == "ikke bestått"


def test_summary_csv_in_english(tmp_path: Path) -> None:
    _, rows = summary_rows(tmp_path, "--lang", "en")
    assert rows[0][:6] == ["Rank", "Municipality", "Title", "Period", "Score", "Result"]
    assert "Participation" in rows[0] and "Open findings" in rows[0]
    assert {row[5] for row in rows[1:]} <= {"passed", "failed"}


def test_summary_alone_prints_totals_not_every_report(tmp_path: Path) -> None:
    result, _ = summary_rows(tmp_path)
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout
    assert lines[0].startswith("4 dokumenter")
    assert lines[1] == f"Oversikt: {tmp_path / 'oversikt.csv'}"


def test_summary_with_wrong_extension_is_a_usage_error_before_auditing(tmp_path: Path) -> None:
    result = run("check", GOOD, "--summary", tmp_path / "oversikt.xlsx")
    assert result.exit_code == 2
    assert_no_traceback(result)
    assert "--summary" in result.stderr and ".csv" in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "oversikt.xlsx").exists()


def test_summary_in_a_missing_folder_is_a_usage_error_before_auditing(tmp_path: Path) -> None:
    result = run("check", GOOD, "--summary", tmp_path / "finnes-ikke" / "oversikt.csv")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "finnes-ikke" in result.stderr
    assert result.stdout == ""


def test_summary_ranks_ties_by_path_and_shares_the_rank(tmp_path: Path) -> None:
    folder = tmp_path / "like"
    folder.mkdir()
    for name in ("b.md", "a.md", "c.md"):
        shutil.copy(GOOD, folder / name)
    shutil.copy(WEAK, folder / "0_svak.md")
    summary = tmp_path / "o.csv"
    assert run("check", folder, "--summary", summary, "--jobs", "1").exit_code in (0, 1)
    body = read_csv(summary)[1:]
    assert [Path(row[-2]).name for row in body] == ["a.md", "b.md", "c.md", "0_svak.md"]
    assert [row[0] for row in body] == ["1", "1", "1", "4"]


def html_reporter_or_skip() -> None:
    try:
        default_registry().reporter("html")
    except PlanauditError:
        pytest.skip("html reporter not registered")


def test_summary_html_links_each_plan_to_its_own_report(tmp_path: Path) -> None:
    html_reporter_or_skip()
    from html.parser import HTMLParser

    folder, bad = corrupt_folder(tmp_path)
    shutil.copy(GOOD, folder / "nord" / "b_god.md")  # same file name as folder/b_god.md
    summary = tmp_path / "oversikt.html"
    result = run("check", folder, "--summary", summary, "--jobs", "2")
    assert result.exit_code == 2
    page = summary.read_text(encoding="utf-8")

    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.hrefs: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "a":
                self.hrefs.append(dict(attrs)["href"] or "")

    parser = Links()
    parser.feed(page)
    assert len(parser.hrefs) == 5
    assert len(set(parser.hrefs)) == 5
    titles = {report["document"]["path"]: report["plan"]["title"]
              for report in json.loads(run("check", folder, "-f", "json", "--jobs", "1").stdout)}
    for href in parser.hrefs:
        assert not href.startswith(("/", "http"))
        target = summary.parent / href
        assert target.is_file() and target.parent == report_folder(summary)
        text = target.read_text(encoding="utf-8")
        assert any(title and title in text for title in titles.values())
    for path in bad:
        assert str(path) in page
    assert "<caption" in page and 'scope="col"' in page and 'scope="row"' in page
    assert "http://" not in page and "https://" not in page and "<script" not in page


def test_summary_html_page_without_reporter_links(tmp_path: Path) -> None:
    """The summary page itself: caption, headers with scope, ranking, failures listed."""
    from planaudit.engine import ReportContext, audit
    from planaudit.report.summary import BatchFailure, render_html

    reports = [audit(path) for path in (WEAK, GOOD)]
    page = render_html(reports, [BatchFailure("skade.pdf", "ukjent filformat")], ReportContext(lang="nb"),
                       {str(GOOD): "oversikt-rapporter/god.html"})
    assert page.index(str(GOOD)) < page.index(str(WEAK))
    assert '<a href="oversikt-rapporter/god.html">' in page
    assert "Filer som ikke kunne revideres" in page and "ukjent filformat" in page
    assert page.count('scope="row"') == 3
    assert 'aria-sort="descending"' in page


@given(st.lists(st.text(min_size=1, max_size=40).map(lambda name: f"planer/{name}.md"), unique=True, max_size=8))
def test_report_names_are_safe_and_unique(names: list[str]) -> None:
    files = [report_name(name) for name in names]
    assert len(set(files)) == len(files)
    for file in files:
        assert file.endswith(".html") and not file.startswith(".")
        assert all(char.isascii() and (char.isalnum() or char in "._-") for char in file)


def test_report_names_keep_the_plan_name_readable() -> None:
    assert report_name("planer/Bø kommune/Boligsosial plan.docx").startswith("Boligsosial-plan-")
    assert report_name("a/plan.md") != report_name("b/plan.md")


# --- progress bar --------------------------------------------------------------------------


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    folder = plan_folder(tmp_path)
    result = run("check", folder, "--format", "json", "--jobs", "2")
    assert "Reviderer" not in result.stderr
    assert result.stderr == ""


@pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs a pseudo-terminal")
def test_progress_bar_on_a_terminal_counts_the_plans(tmp_path: Path) -> None:
    folder = plan_folder(tmp_path)
    report = tmp_path / "stdout.json"
    returncode, shown = on_a_terminal(["check", str(folder), "--jobs", "2", "--format", "json"], tmp_path, report)
    assert returncode in (0, 1), shown
    assert "Reviderer" in shown
    assert "4/4" in shown
    assert len(json.loads(report.read_text(encoding="utf-8"))) == 4  # the report itself still goes to stdout, unmixed

