"""Two versions of a plan compared: which criteria rose or fell, which findings were fixed or are new.

A planner between the draft and the adopted plan wants to know what the edits did. The
comparison is a pure function of two finished reports (:func:`diff_reports`), so a report
saved with ``planaudit check --format json`` compares exactly like a plan audited now.

Findings are matched one to one, counting multiplicity, in passes from the strictest to the
loosest, each over what the earlier ones left:

1. the ``--baseline`` identity (:func:`finding_key` without the file name: rule, section
   without chapter numbers, normalised evidence), plus the criterion, plus the normalised
   message when there is no evidence (whole-plan findings have none, and one rule may make
   several of them);
2. the same words in another section: rule, criterion and evidence, or for findings
   without evidence the message with its numbers masked ("5 av 5 tiltak" → "3 av 5 tiltak"
   is the same finding, only smaller);
3. the same message (numbers masked) whatever the quote: a rule's message names the goal
   or measure it is about, and a whole-plan finding's evidence is only a pointer;
4. lightly edited words: rule and criterion alike and evidence at least 85 % similar.

Page and line numbers never count, so inserting a page before changes nothing.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Literal

from pydantic import ValidationError

from ..errors import InputError
from ..ingest import Source
from ..model import CRITERIA, AuditReport, CriterionScore, Finding
from ._baseline import finding_key, normalise

__all__ = ["Change", "CriterionChange", "ReportDiff", "diff_reports", "match_findings", "saved_report"]

Change = Literal["up", "down", "same", "added", "removed"]

_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
#: How alike two quotes must be (difflib ratio) to be one finding in lightly edited text.
_SIMILAR = 0.85
#: Beyond this many pairs in one rule the similarity pass is skipped: the exact passes have
#: already matched what they can, and a quadratic scan would dominate the run.
_MAX_PAIRS = 40_000


@dataclass(frozen=True)
class CriterionChange:
    """One criterion in both versions; ``None`` on the side that did not assess it."""

    criterion: str
    old: CriterionScore | None
    new: CriterionScore | None

    @property
    def change(self) -> Change:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        before, after = (self.old.level, self.old.score), (self.new.level, self.new.score)
        return "up" if after > before else "down" if after < before else "same"

    def to_dict(self) -> dict[str, Any]:
        def side(score: CriterionScore | None) -> dict[str, int] | None:
            return None if score is None else {"level": score.level, "score": score.score}

        return {"old": side(self.old), "new": side(self.new), "change": self.change}


@dataclass(frozen=True)
class ReportDiff:
    """What changed between an old and a new report of (versions of) one plan."""

    old: AuditReport
    new: AuditReport
    criteria: tuple[CriterionChange, ...]
    #: in OLD, not in NEW (as located in OLD)
    fixed: tuple[Finding, ...]
    #: in NEW, not in OLD
    added: tuple[Finding, ...]
    #: pairs (old, new) judged to be the same finding
    unchanged: tuple[tuple[Finding, Finding], ...]

    @property
    def changed_criteria(self) -> tuple[CriterionChange, ...]:
        return tuple(change for change in self.criteria if change.change != "same")

    @property
    def score_change(self) -> int:
        return self.new.score - self.old.score

    @property
    def new_errors(self) -> tuple[Finding, ...]:
        """New error-severity findings nobody accepted."""
        return tuple(f for f in self.added if f.severity == "error" and f.suppression is None)

    @property
    def regressed(self) -> bool:
        """A criterion fell, or an error-severity finding is new (``--fail-on-regression``)."""
        return any(change.change == "down" for change in self.criteria) or bool(self.new_errors)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form; its keys are stable for tools, like the report's."""
        return {
            "planaudit_version": self.new.planaudit_version,
            "old": _side(self.old),
            "new": _side(self.new),
            "score_change": self.score_change,
            "criteria": {change.criterion: change.to_dict() for change in self.criteria},
            "findings": {
                "fixed": [finding.model_dump(mode="json") for finding in self.fixed],
                "new": [finding.model_dump(mode="json") for finding in self.added],
                "unchanged": len(self.unchanged),
            },
            "regression": self.regressed,
        }


def _side(report: AuditReport) -> dict[str, Any]:
    return {
        "document": report.document.model_dump(mode="json"),
        "plan": report.plan.model_dump(mode="json"),
        "profile": report.profile,
        "score": report.score,
        "passed": report.passed,
        "findings": len(report.findings),
    }


def diff_reports(old: AuditReport, new: AuditReport) -> ReportDiff:
    """Compare two reports; neither is changed."""
    fixed, added, unchanged = match_findings(old.findings, new.findings)
    return ReportDiff(old=old, new=new, criteria=_criteria(old, new), fixed=fixed, added=added,
                      unchanged=unchanged)


def _criteria(old: AuditReport, new: AuditReport) -> tuple[CriterionChange, ...]:
    """Every criterion either side assessed: the rubric's order, then the others by id."""
    names = set(old.criteria) | set(new.criteria)
    ordered = [cid for cid in CRITERIA if cid in names] + sorted(names - set(CRITERIA))
    return tuple(CriterionChange(cid, old.criteria.get(cid), new.criteria.get(cid)) for cid in ordered)


# --- matching findings --------------------------------------------------------------------------


def _identity(finding: Finding) -> Hashable:
    """Pass 1: what ``--baseline`` calls the same finding (never the file name here)."""
    _, rule, section, evidence = finding_key("", finding)
    return (rule, finding.criterion, section, evidence, "" if finding.evidence else normalise(finding.message))


def _same_words(finding: Finding) -> Hashable:
    """Pass 2: the same quote anywhere, or for whole-plan findings the message without numbers."""
    if finding.evidence:
        return (finding.rule, finding.criterion, "evidence", normalise(finding.evidence))
    return (finding.rule, finding.criterion, "message", _DIGITS.sub("#", normalise(finding.message)))


def _same_message(finding: Finding) -> Hashable:
    """Pass 3: the same message, numbers masked, whatever the quote. A rule's message names
    the goal or measure it is about, and a whole-plan finding points at loosely chosen
    evidence (a measure's line that became a table row)."""
    return (finding.rule, finding.criterion, _DIGITS.sub("#", normalise(finding.message)))


def match_findings(old: Sequence[Finding], new: Sequence[Finding]) -> tuple[
        tuple[Finding, ...], tuple[Finding, ...], tuple[tuple[Finding, Finding], ...]]:
    """(fixed, new, unchanged pairs): findings of OLD and NEW matched one to one.

    Fixed and new keep their report's order; every finding ends up in exactly one of them
    or in one pair, so ``len(old) - len(fixed) == len(new) - len(added)``.
    """
    old_left = dict(enumerate(old))
    new_left = dict(enumerate(new))
    pairs: list[tuple[int, int]] = []
    for key in (_identity, _same_words, _same_message):
        pairs.extend(_match_exact(old_left, new_left, key))
    pairs.extend(_match_similar(old_left, new_left))
    pairs.sort(key=lambda pair: pair[1])
    return (tuple(old_left[i] for i in sorted(old_left)), tuple(new_left[j] for j in sorted(new_left)),
            tuple((old[i], new[j]) for i, j in pairs))


def _match_exact(old_left: dict[int, Finding], new_left: dict[int, Finding],
                 key: Callable[[Finding], Hashable]) -> list[tuple[int, int]]:
    """Pair equal keys in order of appearance; matched findings leave both dicts."""
    waiting: dict[Hashable, list[int]] = defaultdict(list)
    for i in sorted(old_left):
        waiting[key(old_left[i])].append(i)
    pairs = []
    for j in sorted(new_left):
        candidates = waiting.get(key(new_left[j]))
        if candidates:
            pairs.append((candidates.pop(0), j))
    for i, j in pairs:
        del old_left[i], new_left[j]
    return pairs


def _match_similar(old_left: dict[int, Finding], new_left: dict[int, Finding]) -> list[tuple[int, int]]:
    """Pair quotes of one rule and criterion that differ by a small edit, most alike first."""
    groups: dict[tuple[str, str], tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i, finding in old_left.items():
        if finding.evidence:
            groups[(finding.rule, finding.criterion)][0].append(i)
    for j, finding in new_left.items():
        if finding.evidence:
            groups[(finding.rule, finding.criterion)][1].append(j)
    pairs = []
    for olds, news in groups.values():
        if not olds or not news or len(olds) * len(news) > _MAX_PAIRS:
            continue
        scored = []
        for i in olds:
            matcher = SequenceMatcher(None, "", normalise(old_left[i].evidence), autojunk=False)  # b is cached
            for j in news:
                matcher.set_seq1(normalise(new_left[j].evidence))
                if matcher.real_quick_ratio() >= _SIMILAR and matcher.quick_ratio() >= _SIMILAR:
                    ratio = matcher.ratio()
                    if ratio >= _SIMILAR:
                        scored.append((-ratio, i, j))
        used_old: set[int] = set()
        used_new: set[int] = set()
        for _, i, j in sorted(scored):
            if i not in used_old and j not in used_new:
                used_old.add(i)
                used_new.add(j)
                pairs.append((i, j))
    for i, j in pairs:
        del old_left[i], new_left[j]
    return pairs


# --- a saved report as one side ------------------------------------------------------------------


def saved_report(source: Source) -> AuditReport | None:
    """The report in a file saved with ``planaudit check --format json``, or None when the
    file is something else (a plan, also a structured JSON plan, to be audited).

    A JSON object with ``planaudit_version`` and ``criteria`` is a report; one that does not
    validate is an error naming the file, never audited as a plan.
    """
    text = source.data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith((b"{", b"[")):
        return None
    try:
        data = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None  # not JSON: the plan readers say what is wrong with it
    if isinstance(data, list) and data and all(_looks_like_report(item) for item in data):
        if len(data) != 1:
            raise InputError(source.path, f"inneholder {len(data)} rapporter; diff sammenligner én plan med én",
                             f"holds {len(data)} reports; diff compares one plan with one")
        data = data[0]
    if not _looks_like_report(data):
        return None
    try:
        return AuditReport.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "?"
        raise InputError(source.path, f"er en ugyldig JSON-rapport fra planaudit ({where}: {first['msg']})",
                         f"is an invalid planaudit JSON report ({where}: {first['msg']})") from None


def _looks_like_report(data: Any) -> bool:
    return isinstance(data, dict) and "planaudit_version" in data and "criteria" in data
