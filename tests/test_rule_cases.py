"""Each built-in rule's behaviour as data: tests/rule_cases/PAnnn.yml, one runner (as sqlfluff does).

A case gives a short plan text, the level the rule must give its criterion, and optionally
a phrase one of its findings must contain.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from planaudit import audit

CASES_DIR = Path(__file__).parent / "rule_cases"


def _cases() -> list[pytest.param]:
    params = []
    for path in sorted(CASES_DIR.glob("PA*.yml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            params.append(pytest.param(spec["rule"], spec["criterion"], case, id=f"{spec['rule']}-{case['name']}"))
    return params


@pytest.mark.parametrize(("rule", "criterion", "case"), _cases())
def test_rule_case(rule: str, criterion: str, case: dict) -> None:
    report = audit(case["text"].encode("utf-8"), name=f"{rule}.md", select=[rule])
    assert set(report.criteria) == {criterion}
    assert report.criteria[criterion].level == case["level"], report.criteria[criterion]
    if "finding" in case:
        messages = [f.message for f in report.findings if f.rule == rule]
        assert any(case["finding"] in message for message in messages), messages


def test_every_builtin_rule_has_cases() -> None:
    from planaudit.rules import BUILTIN_RULES

    covered = {path.stem for path in CASES_DIR.glob("PA*.yml")}
    assert {rule.id for rule in BUILTIN_RULES} <= covered
