"""Real published plans (../shared/corpus): every one audits through the command line to the
JSON contract, and the levels agree with two careful reviewers' labels.

The floor below guards against regressions; it sits under today's figures (see CHANGELOG)
and rises as the extraction improves. Nothing here names a corpus file: the rules must hold
for plans this project has never seen.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from planaudit.engine import default_registry
from planaudit.cli import cli
from planaudit.model import CRITERIA
from planaudit.model.schemas import shipped_dir

#: The twelve criteria and those of the built-in rule packs (boligsosialloven, pbl).
AUDITED_CRITERIA = set(CRITERIA) | set(default_registry().criteria)

pytestmark = pytest.mark.corpus

MIN_EXACT = 0.80
MIN_QWK = 0.75
MIN_CRITERION_EXACT = 0.5


def _corpus_plans(corpus_dir: Path) -> list[Path]:
    labels = yaml.safe_load((corpus_dir / "labels.yaml").read_text(encoding="utf-8"))
    return [corpus_dir / plan["file"] for plan in labels["plans"].values()]


def test_every_corpus_plan_audits_to_the_report_contract(corpus_dir: Path) -> None:
    schema = json.loads((shipped_dir() / "report.schema.json").read_text(encoding="utf-8"))
    plans = _corpus_plans(corpus_dir)
    result = CliRunner().invoke(cli, ["check", "--format", "json", *map(str, plans)])
    assert result.exit_code in (0, 1), result.stderr
    reports = json.loads(result.stdout)
    assert len(reports) == len(plans)
    for report in reports:
        jsonschema.validate(report, schema)
        assert set(report["criteria"]) == AUDITED_CRITERIA
        assert report["document"]["pages"], "page markers are read"
        located = [f for f in report["findings"] if f["location"]["page"]]
        assert located, "findings say on which page"


def test_agreement_with_reviewers_reaches_the_floor(corpus_dir: Path) -> None:
    script = corpus_dir.parent / "eval" / "agreement.py"
    if not script.is_file():
        pytest.skip(f"{script} not found")
    command = f"{sys.executable} -m planaudit check --format json {{file}}"
    proc = subprocess.run([sys.executable, str(script), "--corpus", str(corpus_dir), "--cmd", command],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    overall = re.search(r"overall: plans=\d+ exact=([\d.]+) within1=[\d.]+ qwk=([-\d.]+)", proc.stdout)
    assert overall, proc.stdout
    exact, qwk = float(overall.group(1)), float(overall.group(2))
    assert exact >= MIN_EXACT and qwk >= MIN_QWK, proc.stdout
    per_criterion = {name: float(value) for name, value in re.findall(r"^(\w+)\s+([\d.]+)\s", proc.stdout, re.MULTILINE)
                     if name in CRITERIA}
    assert len(per_criterion) == len(CRITERIA), proc.stdout
    assert min(per_criterion.values()) >= MIN_CRITERION_EXACT, proc.stdout
