"""A rule of a declarative pack, as a Rule class: its metadata from the pack, its verdict
from the compiled check."""
from __future__ import annotations

from typing import Any, ClassVar

import yaml

from ..model import Finding, FindingLocation, PackRule, RulePack
from .checks import CheckContext, CompiledCheck, Outcome, Passage
from .rule import Assessment, Rule, RuleContext, RuleInfo

__all__ = ["PackRuleBase", "pack_rule_class"]

#: A rule reports at most this many places, then one finding that counts the rest.
_MAX_PLACES = 8
_EVIDENCE_LINES = 3


class PackRuleBase(Rule):
    """Base of the rule classes compiled from packs."""

    spec: ClassVar[PackRule]
    pack: ClassVar[RulePack]
    source: ClassVar[str]
    compiled: ClassVar[CompiledCheck]

    def check(self, ctx: RuleContext) -> Assessment:
        outcome = self.compiled.run(CheckContext(ctx))
        if outcome.level is None:
            return Assessment(None)
        level = outcome.level if outcome.level > 0 else self.spec.fail_level
        findings = self._place_findings(ctx, outcome)
        if outcome.level < 2 and not findings:
            finding = self._finding(ctx, outcome, None)
            where = self._chapter(ctx)
            findings.append(finding.model_copy(update={"location": where}) if where else finding)
        return Assessment(level, _evidence(ctx, outcome.found), findings)

    def _place_findings(self, ctx: RuleContext, outcome: Outcome) -> list[Finding]:
        places = outcome.offending
        findings = [self._finding(ctx, outcome, place) for place in places[:_MAX_PLACES]]
        if len(places) > _MAX_PLACES:
            rest = len(places) - _MAX_PLACES
            summary = self.finding(ctx, (f"… og {rest} steder til.", f"… and {rest} more places."))
            findings.append(summary.model_copy(update={"location": findings[-1].location}))
        return findings

    def _finding(self, ctx: RuleContext, outcome: Outcome, place: Passage | None) -> Finding:
        quote = _short(place.text) if place else ""
        message = _fill(self.spec.message.get(ctx.lang), outcome.value, quote)
        suggestion = self.spec.suggestion.get(ctx.lang) if self.spec.suggestion else None
        finding = self.finding(ctx, (message, message), (suggestion, suggestion) if suggestion else None,
                               location=place.location if place else None, evidence=place.text if place else None)
        return finding

    def _chapter(self, ctx: RuleContext) -> FindingLocation | None:
        """Where a finding about something missing belongs: the first chapter the check
        looked in, when it looked in chosen chapters (the needs overview belongs in the
        kunnskapsgrunnlag). A check over the whole plan has no such place."""
        selector = getattr(self.compiled.params, "select", None)
        if selector is None or not selector.sections:
            return None
        passages = CheckContext(ctx).passages(selector)
        if not passages:
            return None
        location = passages[0].location
        return FindingLocation(page=location.page, section=" > ".join(location.section) or None)

    @classmethod
    def info(cls, plugin: str = "") -> RuleInfo:
        spec = cls.spec
        return RuleInfo(
            id=spec.id, name=spec.name, criterion=spec.criterion, severity=spec.severity, weight=spec.weight,
            citation=spec.citation, summary=spec.title.nb,
            rationale=spec.rationale.nb if spec.rationale else "",
            bad_example=spec.examples.get("bad", ""), good_example=spec.examples.get("good", ""),
            plugin=plugin, pack=f"{cls.pack.pack} {cls.pack.version}", source=cls.source,
            check=_as_yaml(spec.check),
        )


class _PlainDumper(yaml.SafeDumper):
    """YAML as an author reads it: anchors shared in the pack are written out in full."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _as_yaml(check: dict[str, Any]) -> str:
    """A check as YAML, lists of words on one (wrapped) line."""
    return yaml.dump(check, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=None, width=100).strip()


def pack_rule_class(pack: RulePack, spec: PackRule, compiled: CompiledCheck, source: str) -> type[PackRuleBase]:
    attrs: dict[str, Any] = {
        "__doc__": spec.title.nb, "__module__": __name__, "id": spec.id, "name": spec.name,
        "criterion": spec.criterion, "severity": spec.severity, "weight": spec.weight,
        "citation": spec.citation, "spec": spec, "pack": pack, "source": source, "compiled": compiled,
    }
    return type(f"PackRule_{spec.id}", (PackRuleBase,), attrs)


def _fill(template: str, value: str, quote: str) -> str:
    return template.replace("{value}", value).replace("{quote}", f"«{quote}»" if quote else "")


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _evidence(ctx: RuleContext, found: tuple[Passage, ...]) -> list[str]:
    word = "page" if ctx.lang == "en" else "side"
    lines = []
    for passage in found[:_EVIDENCE_LINES]:
        where = passage.location.describe(word)
        lines.append(f"{where}: «{_short(passage.text)}»" if where else f"«{_short(passage.text)}»")
    return lines
