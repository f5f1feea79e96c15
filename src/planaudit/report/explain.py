"""``planaudit check --explain CRITERION``: why one criterion got its level.

A level alone does not convince a reviewer who reads the plan differently; the items that
decided it do. For one criterion of one audited plan this shows the level and score with
the rubric's sentence for that level, the evidence lines the rule returned, the Plan items
the criterion looks at (page, section, quoted text and the fields that decide), for the
criteria counted over measures how many qualify against the rubric's "more than half",
and the criterion's findings.

The content is gathered once into an :class:`Explanation` and written as text or JSON from
it, so both formats say the same thing.
"""
from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

import yaml
from tabulate import tabulate

from ..engine import ReportContext, RuleInfo, criterion_rubric
from ..errors import UsageError
from ..model import CRITERIA, AuditReport, Finding, Location, Plan
from ._common import dump_json, location_label, quoted, severity_name

__all__ = ["Explanation", "explain_criterion", "render_json", "render_text", "resolve_criterion"]

_WIDTH = 100
_MISSING = "–"


class _Source(NamedTuple):
    """One kind of Plan item a criterion looks at: the Plan attribute, the fields that
    decide, a heading, and (for ``organisation``) the one kind of item that counts."""

    items: str
    fields: tuple[str, ...]
    label: tuple[str, str]
    kind: str | None = None


_MEASURES = ("Tiltak", "Measures")

#: Which Plan items each criterion looks at, and the fields of each that decide its level.
_ITEMS: dict[str, tuple[_Source, ...]] = {
    "measurable_goals": (_Source("goals", ("id", "kind", "target", "horizon", "indicator", "borrowed"),
                                 ("Mål", "Goals")),),
    "responsibility": (_Source("measures", ("id", "responsible", "responsible_generic"), _MEASURES),
                       _Source("organisation", (), ("Planeier", "Plan owner"), kind="owner")),
    "timeline": (_Source("measures", ("id", "deadline", "deadline_vague"), _MEASURES),),
    "costs": (_Source("measures", ("id", "cost", "cost_generic"), _MEASURES),),
    "political_anchoring": (_Source("political", ("kind", "body", "date", "case"),
                                    ("Politisk behandling", "Political treatment")),),
    "administrative_anchoring": (_Source("organisation", ("kind", "members_described"),
                                         ("Organisering", "Organisation")),),
    "external_anchoring": (_Source("actors", ("name", "role", "external"), ("Aktører", "Actors")),),
    "user_participation": (_Source("participation", ("kind", "who"), ("Medvirkning", "Participation")),),
    "plan_linkage": (_Source("references", ("kind", "explicit"), ("Planhenvisninger", "Plan references")),),
    "knowledge_base": (_Source("knowledge", ("topic", "sourced"), ("Kunnskapsgrunnlag", "Knowledge base")),),
    "follow_up": (_Source("follow_up", ("kind", "schedule", "recipient"), ("Oppfølging", "Follow-up")),),
    "goal_measure_coherence": (_Source("measures", ("id", "goal"), _MEASURES),
                               _Source("goals", ("id", "kind"), ("Mål", "Goals"))),
}


class _Count(NamedTuple):
    """A measure counts when ``field`` is set and ``unless`` (a vagueness flag) is not."""

    field: str
    unless: str | None
    text: tuple[str, str]


#: The criteria the rubric judges by "most measures": what makes a measure count. These
#: mirror the built-in rules' predicates, which this layer cannot import.
_COUNTS: dict[str, _Count] = {
    "responsibility": _Count("responsible", "responsible_generic",
                             ("{n} av {total} tiltak har navngitt ansvarlig",
                              "{n} of {total} measures name a responsible unit")),
    "timeline": _Count("deadline", "deadline_vague",
                       ("{n} av {total} tiltak har tidsfrist eller periode som ikke er vag",
                        "{n} of {total} measures have a deadline or period that is not vague")),
    "costs": _Count("cost", "cost_generic",
                    ("{n} av {total} tiltak har kostnad eller finansiering",
                     "{n} of {total} measures have a cost or funding")),
    "goal_measure_coherence": _Count("goal", None,
                                     ("{n} av {total} tiltak er knyttet til et mål",
                                      "{n} of {total} measures are tied to a goal")),
}

#: Fields whose values are the model's machine names (kinds, roles, topics), said in words in
#: the text output.
_NAMED_VALUES = frozenset({"kind", "role", "topic"})


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, dict[str, str]]]:
    """Column headings and value names from ``data/explain.yaml``."""
    text = (resources.files("planaudit.report") / "data" / "explain.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _label(table: str, key: str, context: ReportContext) -> str:
    names = _labels()[table].get(key)
    return (names.get(context.lang) or names["nb"]) if names else key


@dataclass(frozen=True)
class Explanation:
    """Why one criterion of one plan got its level: everything ``--explain`` shows."""

    document: str
    criterion: str
    title: str
    rules: tuple[str, ...]
    level: int | None  # None: the criterion was not assessed (--select/--ignore, a rule error)
    score: int | None
    rubric: str | None
    evidence: tuple[str, ...]
    count: dict[str, Any] | None  # {"qualifying", "total", "needed", "text"}
    items: dict[str, list[dict[str, Any]]]  # Plan attribute → the items looked at, located, with fields
    findings: tuple[Finding, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "document": self.document, "criterion": self.criterion, "title": self.title,
            "rules": list(self.rules), "level": self.level, "score": self.score, "rubric": self.rubric,
            "evidence": list(self.evidence), "count": self.count, "items": self.items,
            "findings": [finding.model_dump(mode="json") for finding in self.findings],
        }


def resolve_criterion(name: str, rules: Iterable[RuleInfo]) -> str:
    """The criterion ``--explain NAME`` asks about: a criterion id, or a rule id standing for
    the criterion it feeds (either in any letter case); anything else is a usage error."""
    rules = list(rules)
    criteria = [*CRITERIA, *sorted({rule.criterion for rule in rules} - set(CRITERIA))]
    by_name = {cid.casefold(): cid for cid in criteria} | {rule.id.casefold(): rule.criterion for rule in rules}
    if name.casefold() in by_name:
        return by_name[name.casefold()]
    rule_ids = ", ".join(sorted(rule.id for rule in rules))
    raise UsageError("--explain", f"ukjent kriterium eller regel {name!r}; gyldige kriterier: "
                     f"{', '.join(criteria)}; eller en regel-ID: {rule_ids}",
                     f"unknown criterion or rule {name!r}; valid criteria: {', '.join(criteria)}; "
                     f"or a rule id: {rule_ids}")


def explain_criterion(report: AuditReport, plan: Plan, criterion: str, context: ReportContext) -> Explanation:
    """Gather why ``criterion`` got its level in this report, from the Plan the rules judged."""
    score = report.criteria.get(criterion)
    level = score.level if score else None
    return Explanation(
        document=report.document.path,
        criterion=criterion,
        title=context.title(criterion),
        rules=tuple(sorted(rule.id for rule in context.rules if rule.criterion == criterion)),
        level=level,
        score=score.score if score else None,
        rubric=criterion_rubric(criterion, level, context.lang) if level is not None else None,
        evidence=tuple(score.evidence) if score else (),
        count=_count(plan, criterion, context),
        items={source.items: [_item(item, source.fields) for item in _items(plan, source)]
               for source in _ITEMS.get(criterion, ())},
        findings=tuple(f for f in report.findings if f.criterion == criterion),
    )


def _items(plan: Plan, source: _Source) -> list[Any]:
    items = getattr(plan, source.items, ())
    return [item for item in items if source.kind is None or getattr(item, "kind", None) == source.kind]


def _item(item: Any, fields: Sequence[str]) -> dict[str, Any]:
    location: Location = getattr(item, "location", None) or Location()
    return {
        "page": location.page, "line": location.line,
        "section": " > ".join(location.section) if location.section else None,
        "text": getattr(item, "text", ""),
        **{name: getattr(item, name, None) for name in fields},
    }


def _count(plan: Plan, criterion: str, context: ReportContext) -> dict[str, Any] | None:
    rule = _COUNTS.get(criterion)
    if rule is None:
        return None
    measures = plan.measures
    qualifying = sum(1 for m in measures
                     if getattr(m, rule.field, None) and not (rule.unless and getattr(m, rule.unless, False)))
    total, needed = len(measures), len(measures) // 2 + 1
    if not total:
        text = context.t("Planen har ingen tiltak å telle.", "The plan has no measures to count.")
    else:
        text = context.t(*rule.text).format(n=qualifying, total=total) + context.t(
            f" («de fleste» betyr flere enn halvparten, her minst {needed}).",
            f" (“most” means more than half, here at least {needed}).")
    return {"qualifying": qualifying, "total": total, "needed": needed, "text": text}


# --- text ---------------------------------------------------------------------------------------

_SECTION_WIDTH, _FIELD_WIDTH, _TEXT_WIDTH = 20, 24, 30  # column caps; the text column gets the rest


def _wrap(text: str, first: str = "", rest: str = "") -> str:
    return textwrap.fill(text, width=_WIDTH, initial_indent=first, subsequent_indent=rest,
                         break_on_hyphens=False)


def _value(name: str, value: Any, context: ReportContext) -> str:
    if value is None or value == "":
        return _MISSING
    if isinstance(value, bool):
        return context.t("ja", "yes") if value else context.t("nei", "no")
    return _label("values", str(value), context) if name in _NAMED_VALUES else str(value)


def _where(item: dict[str, Any], context: ReportContext) -> str:
    if item["page"] is not None:
        return str(item["page"])
    return f"{context.t('linje', 'line')} {item['line']}" if item["line"] is not None else _MISSING


def _widths(headers: list[str], rows: list[list[str]]) -> list[int]:
    """Column caps: the narrow columns as wide as they need (up to a cap), the quoted text
    the rest of the line."""
    caps = [max(len(cell) for cell in column) for column in zip(*rows)]
    caps[1] = min(caps[1], _SECTION_WIDTH)
    caps[3:] = [min(cap, _FIELD_WIDTH) for cap in caps[3:]]
    # tabulate makes a column at least its heading plus 2 wide, and puts 2 spaces between columns
    used = sum(max(cap, len(header) + 2) for i, (cap, header) in enumerate(zip(caps, headers)) if i != 2)
    caps[2] = max(_TEXT_WIDTH, _WIDTH - used - 2 * (len(caps) - 1))
    return caps


def _table(source: _Source, items: list[dict[str, Any]], context: ReportContext) -> list[str]:
    heading = f"{context.t(*source.label)} ({len(items)}):"
    if not items:
        return [heading, "  " + context.t("Ingen funnet i planen.", "None found in the plan.")]
    headers = [context.t("Side", "Page"), context.t("Kapittel", "Section"), context.t("Tekst", "Text"),
               *(_label("fields", name, context) for name in source.fields)]
    rows = [[_where(item, context), (item["section"] or _MISSING).rsplit(" > ", 1)[-1],
             quoted(item["text"], context, 90), *(_value(name, item[name], context) for name in source.fields)]
            for item in items]
    table = tabulate(rows, headers=headers, disable_numparse=True, maxcolwidths=_widths(headers, rows))
    return [heading, table]


def _finding(finding: Finding, context: ReportContext) -> list[str]:
    where = location_label(finding.location, context)
    heading = " · ".join(part for part in (severity_name(finding.severity, context), finding.rule, where) if part)
    lines = [_wrap(heading, "  ", "    "), _wrap(finding.message, "    ", "    ")]
    if finding.suggestion:
        lines.append(_wrap(f"{context.t('Forslag', 'Suggestion')}: {finding.suggestion}", "    ", "    "))
    return lines


def _heading(explanation: Explanation, context: ReportContext) -> list[str]:
    title = _wrap(explanation.document)
    rules = f" ({', '.join(explanation.rules)})" if explanation.rules else ""
    if explanation.level is None:
        level = context.t("ikke vurdert (utelatt med --select/--ignore, eller regelen feilet)",
                          "not assessed (left out by --select/--ignore, or the rule failed)")
    else:
        level = context.t(f"{explanation.level} av 2, poeng {explanation.score}/100",
                          f"{explanation.level} of 2, score {explanation.score}/100")
    fields = [(context.t("Kriterium", "Criterion"), f"{explanation.criterion} – {explanation.title}{rules}"),
              (context.t("Nivå", "Level"), level)]
    if explanation.rubric:
        fields.append((context.t("Rubrikk", "Rubric"), explanation.rubric))
    width = max(len(label) for label, _ in fields) + 2
    return [title, "=" * max(len(line) for line in title.splitlines()),
            *(_wrap(value, f"{label}:".ljust(width), " " * width) for label, value in fields)]


def _section(explanation: Explanation, context: ReportContext) -> str:
    lines = [*_heading(explanation, context), "", context.t("Grunnlag fra regelen:", "Evidence from the rule:")]
    lines += [_wrap(line, "  ", "    ") for line in explanation.evidence] or ["  " + _MISSING]
    if explanation.count:
        lines += ["", _wrap(explanation.count["text"])]
    for source in _ITEMS.get(explanation.criterion, ()):
        lines += ["", *_table(source, explanation.items.get(source.items, []), context)]
    lines += ["", f"{context.t('Funn', 'Findings')} ({len(explanation.findings)}):"]
    lines += [line for finding in explanation.findings for line in _finding(finding, context)]
    if not explanation.findings:
        lines.append("  " + context.t("Ingen funn.", "No findings."))
    return "\n".join(lines)


def render_text(explanations: Sequence[Explanation], context: ReportContext) -> str:
    """The explanations for people at a terminal, one plan after the other."""
    return "\n\n".join(_section(explanation, context) for explanation in explanations) + "\n"


def render_json(explanations: Sequence[Explanation]) -> str:
    """One object for one plan, a list for several, as ``--format json`` does for reports."""
    objects = [explanation.as_json() for explanation in explanations]
    return dump_json(objects[0] if len(objects) == 1 else objects)
