"""Each rule's behaviour as data (as sqlfluff does): tests/rule_cases/<ID>.yml.

The files are collected by planaudit's own pytest plugin (``planaudit.testing``, entry point
``pytest11``), the kit third-party rule authors use; this module checks that every built-in
rule has cases, and that the kit reports what a rule author needs to see.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from planaudit.engine import default_registry
from planaudit.testing import CaseError, RuleCase, check_case, load_cases

CASES_DIR = Path(__file__).parent / "rule_cases"

pytest_plugins = ["pytester"]


def test_every_builtin_rule_has_cases_that_pass_and_fail() -> None:
    builtin = [info.id for info in default_registry().rule_infos() if info.plugin.startswith("planaudit:")]
    for rule_id in builtin:
        path = CASES_DIR / f"{rule_id}.yml"
        assert path.is_file(), f"no case file for {rule_id}"
        levels = {case.spec.get("level") for case in load_cases(path)}
        assert 2 in levels and levels - {2}, f"{rule_id}: cases must cover level 2 and a lower level"


def test_a_wrong_expectation_names_the_case_and_what_differed(tmp_path: Path) -> None:
    spec = {"name": "plan without costs", "text": "# Boligplan\n## Tiltak\n- Bygge fire boliger.\n", "level": 2,
            "findings": [{"message": "finnes ikke"}]}
    case = RuleCase("PA004", spec["name"], tmp_path / "PA004.yml", spec)
    with pytest.raises(CaseError) as failure:
        check_case(case)
    text = str(failure.value)
    assert "plan without costs" in text and "PA004" in text
    assert "level: expected 2, got" in text
    assert "no finding matches" in text


def test_a_malformed_case_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "PA001.yml"
    path.write_text(yaml.safe_dump({"rule": "PA001", "cases": [{"name": "x", "text": "y", "levle": 2}]}))
    with pytest.raises(CaseError, match=r"PA001\.yml: case 'x' has unknown keys \['levle'\]"):
        load_cases(path)


def test_the_pytest_plugin_collects_case_files_and_reports_failures(pytester: pytest.Pytester) -> None:
    cases = pytester.mkdir("rule_cases")
    (cases / "PA003.yml").write_text(yaml.safe_dump({"rule": "PA003", "cases": [
        {"name": "deadlines on every measure", "level": 2,
         "text": "# Plan\n## Tiltak\n| Tiltak | Frist |\n|---|---|\n| Bygge boliger | 2026 |\n| Ansette veileder | 2025 |\n"},
        {"name": "a wrong expectation", "level": 0, "text": "# Plan\n## Tiltak\n- Bygge boliger innen 2026.\n"},
    ]}, allow_unicode=True), encoding="utf-8")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*a wrong expectation (PA003)*", "*level: expected 0, got*"])


def test_the_audit_fixture_audits_a_text(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        def test_costs(planaudit_audit):
            report = planaudit_audit("# Plan\\n## Tiltak\\n- Bygge boliger. Kostnad: 2 mill. kr\\n", rule="PA004")
            assert set(report.criteria) == {"costs"}
    """)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)
