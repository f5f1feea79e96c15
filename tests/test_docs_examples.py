"""The examples in docs/regelpakker.md work as written: a new user copies them first."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from planaudit.cli import cli
from planaudit.testing import check_case, load_cases

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "regelpakker.md"


def _block(language: str, containing: str) -> str:
    blocks = re.findall(rf"```{language}\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    return next(block for block in blocks if containing in block)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "regler").mkdir()
    (tmp_path / "regler" / "frister.yaml").write_text(_block("yaml", "pack: klare-frister"), encoding="utf-8")
    return tmp_path


def test_the_guide_pack_validates(project: Path) -> None:
    result = CliRunner().invoke(cli, ["rules", "validate", str(project / "regler" / "frister.yaml")])
    assert result.exit_code == 0, result.output
    assert "KF001" in result.stdout


def test_the_guide_cases_pass_against_the_guide_pack(project: Path) -> None:
    cases_dir = project / "tests" / "rule_cases"
    cases_dir.mkdir(parents=True)
    (cases_dir / "KF001.yml").write_text(_block("yaml", "rule: KF001"), encoding="utf-8")
    cases = load_cases(cases_dir / "KF001.yml")
    assert [case.name for case in cases] == ["klar frist", "uklar frist"]
    for case in cases:
        check_case(case)


def test_the_guide_configuration_loads_the_pack(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "pyproject.toml").write_text(_block("toml", "rule_packs"), encoding="utf-8")
    (project / "plan.md").write_text("# Boligplan\n## Tiltak\n- Vurdere flere boliger ved behov.\n", encoding="utf-8")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, ["check", "plan.md", "--select", "KF001"])
    assert "Uklar frist: «Vurdere flere boliger ved behov.»" in result.stdout, result.output
