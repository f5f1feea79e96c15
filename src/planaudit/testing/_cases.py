"""Rule test cases as data: a YAML file per rule, each case a plan text and what the rule must say.

.. code-block:: yaml

    rule: PA004                 # the rule under test; only it runs
    rule_packs: [../../rules/my_pack.yaml]   # optional: packs to load, relative to this file
    cases:
      - name: costs in a table
        text: |                 # or file: plan.docx (relative to this file)
          # Boligplan
          ...
        level: 2                # the level its criterion gets (null: not assessed)
        finding: mangler kostnad    # optional: some finding of the rule contains this
        findings:               # optional: each must match a finding of the rule
          - message: Tiltak 2   # part of the message
            page: 3
            section: Tiltak     # part of the section path
            severity: warning
        no_findings: true       # optional: the rule gives no finding at all
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..engine import Registry, audit, default_registry
from ..model import AuditReport, Finding

__all__ = ["CaseError", "RuleCase", "audit_text", "check_case", "load_cases"]

_CASE_KEYS = {"name", "text", "file", "format", "level", "finding", "findings", "no_findings", "lang"}
_FINDING_KEYS = {"message", "page", "line", "section", "severity", "rule"}


class CaseError(AssertionError):
    """A case the rule does not satisfy, or a case file that is wrong; the message says which and why."""


@dataclass(frozen=True)
class RuleCase:
    rule: str
    name: str
    source: Path
    spec: dict[str, Any]
    rule_packs: tuple[Path, ...] = field(default=())


def load_cases(path: Path) -> list[RuleCase]:
    """The cases of one case file; a malformed file raises :class:`CaseError` naming it."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise CaseError(f"{path}: cannot be read as YAML ({err})") from None
    if not isinstance(data, dict) or not isinstance(data.get("rule"), str) or not isinstance(data.get("cases"), list):
        raise CaseError(f"{path}: a case file needs 'rule: ID' and a list 'cases'")
    packs = tuple((path.parent / str(pack)).resolve() for pack in data.get("rule_packs", []))
    cases = []
    for index, spec in enumerate(data["cases"]):
        if not isinstance(spec, dict) or "name" not in spec or not ({"text", "file"} & set(spec)):
            raise CaseError(f"{path}: case {index + 1} needs a name and a text or file")
        unknown = set(spec) - _CASE_KEYS
        if unknown:
            raise CaseError(f"{path}: case {spec['name']!r} has unknown keys {sorted(unknown)}")
        cases.append(RuleCase(data["rule"], str(spec["name"]), path, spec, packs))
    return cases


def _registry(packs: tuple[Path, ...]) -> Registry:
    """The registry with these packs, loaded once per pack content (an edited pack reloads)."""
    return _registry_for(tuple((pack, _digest(pack)) for pack in packs))


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""  # with_packs reports the missing file


@lru_cache(maxsize=32)
def _registry_for(packs: tuple[tuple[Path, str], ...]) -> Registry:
    return default_registry().with_packs([pack for pack, _ in packs])


def audit_text(text: str | bytes, *, rule: str | None = None, rule_packs: Sequence[Path | str] = (),
               name: str = "plan.md", lang: str = "nb") -> AuditReport:
    """Audit a plan given as text (Markdown by default) or bytes, with only ``rule`` if given."""
    registry = _registry(tuple(Path(pack).resolve() for pack in rule_packs))
    data = text.encode("utf-8") if isinstance(text, str) else text
    return audit(data, name=name, select=[rule] if rule else [], lang=lang, registry=registry)


def check_case(case: RuleCase) -> AuditReport:
    """Audit the case's plan with its rule and raise :class:`CaseError` on any mismatch."""
    spec = case.spec
    if "file" in spec:
        plan_path = case.source.parent / str(spec["file"])
        report = audit_text(plan_path.read_bytes(), rule=case.rule, rule_packs=case.rule_packs,
                            name=plan_path.name, lang=spec.get("lang", "nb"))
    else:
        report = audit_text(str(spec["text"]), rule=case.rule, rule_packs=case.rule_packs,
                            name=f"{case.rule}.{spec.get('format', 'md')}", lang=spec.get("lang", "nb"))
    findings = [finding for finding in report.findings if finding.rule == case.rule]
    problems = [*_level_problems(case, report), *_finding_problems(spec, findings)]
    if problems:
        raise CaseError(_explain(case, problems, report, findings))
    return report


def _level_problems(case: RuleCase, report: AuditReport) -> list[str]:
    if "level" not in case.spec:
        return []
    expected = case.spec["level"]
    criteria = report.criteria
    actual = next(iter(criteria.values())).level if len(criteria) == 1 else None
    if len(criteria) > 1:
        return [f"expected one criterion, got {sorted(criteria)}"]
    return [] if actual == expected else [f"level: expected {expected}, got {actual}"]


def _finding_problems(spec: dict[str, Any], findings: list[Finding]) -> list[str]:
    problems = []
    if spec.get("no_findings") and findings:
        problems.append(f"expected no findings, got {len(findings)}")
    if "finding" in spec and not any(str(spec["finding"]) in f.message for f in findings):
        problems.append(f"no finding says {spec['finding']!r}")
    for wanted in spec.get("findings", []):
        unknown = set(wanted) - _FINDING_KEYS
        if unknown:
            problems.append(f"expected finding has unknown keys {sorted(unknown)}")
        elif not any(_matches(finding, wanted) for finding in findings):
            problems.append(f"no finding matches {wanted}")
    return problems


def _matches(finding: Finding, wanted: dict[str, Any]) -> bool:
    where = finding.location
    return (str(wanted.get("message", "")) in finding.message
            and ("page" not in wanted or where.page == wanted["page"])
            and ("line" not in wanted or where.line == wanted["line"])
            and str(wanted.get("section", "")) in (where.section or "")
            and wanted.get("severity", finding.severity) == finding.severity
            and wanted.get("rule", finding.rule) == finding.rule)


def _explain(case: RuleCase, problems: list[str], report: AuditReport, findings: list[Finding]) -> str:
    lines = [f"{case.source.name} :: {case.name} ({case.rule})", *(f"  - {problem}" for problem in problems)]
    for criterion, score in report.criteria.items():
        lines.append(f"  {criterion}: level {score.level}; evidence {score.evidence[:3]}")
    for finding in findings:
        where = finding.location
        lines.append(f"  finding p.{where.page} line {where.line} [{where.section}] {finding.severity}: {finding.message}")
    return "\n".join(lines)
