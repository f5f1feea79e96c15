"""Configuration files: ``planaudit.toml`` or ``[tool.planaudit]`` in pyproject.toml, found upward."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from _cli import one_line_error
from click.testing import CliRunner, Result

from planaudit.cli import cli

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
GOOD = FIXTURES / "plans" / "god_plan.md"
WEAK = FIXTURES / "plans" / "svak_plan.md"
MEDIUM = FIXTURES / "plans" / "nynorsk_plan.md"  # warnings, no errors


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args])


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder; the test runs from a subdirectory two levels below it."""
    root = tmp_path / "kommune"
    work = root / "planer" / "2025"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    monkeypatch.delenv("PLANAUDIT_DEBUG", raising=False)
    return root


def report_of(*args: str | Path) -> dict:
    result = run("check", GOOD, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_no_config_uses_kommune_profile(project: Path) -> None:
    assert report_of()["profile"] == "kommune"


def test_planaudit_toml_found_from_subdirectory(project: Path) -> None:
    (project / "planaudit.toml").write_text('profile = "husbanken"\n', encoding="utf-8")
    report = report_of()
    assert report["profile"] == "husbanken"
    assert report["criteria"]["costs"]["weight"] > report["criteria"]["follow_up"]["weight"]


def test_pyproject_tool_table_found_from_subdirectory(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "kommuneplaner"\n\n[tool.planaudit]\nprofile = "husbanken"\n', encoding="utf-8")
    assert report_of()["profile"] == "husbanken"


def test_pyproject_without_tool_table_is_skipped_for_one_further_up(project: Path) -> None:
    (project / "planaudit.toml").write_text('profile = "husbanken"\n', encoding="utf-8")
    (project / "planer" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert report_of()["profile"] == "husbanken"


def test_config_format_and_lang_apply(project: Path) -> None:
    (project / "planaudit.toml").write_text('format = "json"\nlang = "en"\n', encoding="utf-8")
    result = run("check", WEAK)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert any("The plan" in f["message"] for f in report["findings"])


def test_unknown_key_exits_2_naming_key_and_file(project: Path) -> None:
    config = project / "planaudit.toml"
    config.write_text('profil = "x"\n', encoding="utf-8")
    line = one_line_error(run("check", GOOD))
    assert "profil" in line
    assert str(config) in line
    assert "profile" in line  # the known keys are listed, so the typo is obvious


def test_unknown_key_in_pyproject_exits_2(project: Path) -> None:
    config = project / "pyproject.toml"
    config.write_text('[tool.planaudit]\nfail_undr = 50\n', encoding="utf-8")
    line = one_line_error(run("check", GOOD))
    assert "fail_undr" in line and str(config) in line


def test_bad_fail_on_value_exits_2(project: Path) -> None:
    config = project / "planaudit.toml"
    config.write_text('fail_on = "sometimes"\n', encoding="utf-8")
    line = one_line_error(run("check", GOOD))
    assert "fail_on" in line and str(config) in line


def test_invalid_toml_exits_2(project: Path) -> None:
    config = project / "planaudit.toml"
    config.write_text('profile = "husbanken\n', encoding="utf-8")
    line = one_line_error(run("check", GOOD))
    assert str(config) in line


def test_unknown_profile_in_config_exits_2(project: Path) -> None:
    (project / "planaudit.toml").write_text('profile = "statsforvalteren"\n', encoding="utf-8")
    line = one_line_error(run("check", GOOD))
    assert "statsforvalteren" in line


def test_command_line_profile_overrides_file(project: Path) -> None:
    (project / "planaudit.toml").write_text('profile = "husbanken"\n', encoding="utf-8")
    assert report_of("--profile", "kommune")["profile"] == "kommune"


def test_fail_under_from_file_and_override(project: Path) -> None:
    (project / "planaudit.toml").write_text("fail_under = 99\n", encoding="utf-8")
    assert run("check", WEAK).exit_code == 1
    assert run("check", WEAK, "--fail-under", "0").exit_code == 0


def test_fail_on_from_file_and_override(project: Path) -> None:
    (project / "planaudit.toml").write_text('fail_on = "warning"\n', encoding="utf-8")
    assert run("check", MEDIUM).exit_code == 1  # the nynorsk plan has warnings
    assert run("check", MEDIUM, "--fail-on", "error").exit_code == 0


def test_select_from_file_and_override(project: Path) -> None:
    (project / "planaudit.toml").write_text('select = ["PA001"]\n', encoding="utf-8")
    assert set(report_of()["criteria"]) == {"measurable_goals"}
    assert set(report_of("--select", "PA004")["criteria"]) == {"costs"}


def test_explicit_config_option_beats_the_one_found(project: Path, tmp_path: Path) -> None:
    (project / "planaudit.toml").write_text('profil = "feil"\n', encoding="utf-8")
    other = tmp_path / "annen.toml"
    other.write_text('profile = "husbanken"\n', encoding="utf-8")
    assert report_of("--config", other)["profile"] == "husbanken"


@pytest.mark.parametrize("setting, key", [
    ('fail_on = "sometimes"', "fail_on"),
    ('lang = "nn"', "lang"),
    ('select = "PA001"', "select"),
    ('fail_under = "høy"', "fail_under"),
    ('max_bytes = "stor"', "max_bytes"),
    ('strict = "nei"', "strict"),
])
def test_bad_value_exits_2_naming_file_and_key(project: Path, setting: str, key: str) -> None:
    config = project / "planaudit.toml"
    config.write_text(setting + "\n", encoding="utf-8")
    line = one_line_error(run("check", GOOD))
    assert str(config) in line, line
    assert key in line, line
