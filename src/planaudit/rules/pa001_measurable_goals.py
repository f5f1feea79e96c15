"""PA001 — goals carry checkable targets with a time horizon."""
from __future__ import annotations

import re

from ..engine import Assessment, Rule, RuleContext
from ..extract import contents_blocks, roles_of_section
from ..extract.targets import find_horizon, find_target
from ..model import Block, Finding, Goal
from ._support import capped, cite, label_of, most


def _measurable(goal: Goal) -> bool:
    return bool(goal.target and goal.horizon) and not goal.borrowed


def _partly(goal: Goal) -> bool:
    return bool(goal.target or goal.indicator)


def goal_units(goals: tuple[Goal, ...]) -> list[list[Goal]]:
    """The goals a reader counts: where the plan numbers its goals, each numbered goal with
    the unnumbered sub-goals and elaborations below it; otherwise every goal by itself."""
    numbered = [goal for goal in goals if goal.id]
    if len(numbered) < 2:
        return [[goal] for goal in goals]
    units: list[list[Goal]] = []
    for goal in goals:
        head = units[-1][0].id if units else None
        if goal.id and not (head and goal.id.startswith(f"{head}.")):
            units.append([goal])
        elif units:
            units[-1].append(goal)
    return units


def _unit_measurable(unit: list[Goal]) -> bool:
    return any(_measurable(goal) for goal in unit)


_TARGET_SENTENCE = re.compile(r"\b(?:skal|mål\w*|planlegg\w*|behov for)\b", re.IGNORECASE)


def _targets_in_text(ctx: RuleContext) -> list[Block]:
    """Quantified targets with a horizon stated outside the goal lists ("netto tilvekst på
    100 boliger fram mot 2030"): they lift the level to 1 (criteria.md, clarifications)."""
    contents = contents_blocks(ctx.document)
    return [block for index, block in enumerate(ctx.document.blocks)
            if index not in contents and _TARGET_SENTENCE.search(block.text) and not _in_analysis(block)
            and find_target(block.text) and find_horizon(block.text)]


def _in_analysis(block: Block) -> bool:
    """A figure in the status chapter ("behov for 2 400 boliger fram mot 2035") is an estimate, not a goal."""
    roles = roles_of_section(block.location.section)
    return "kunnskapsgrunnlag" in roles and not roles & {"mål", "tiltak", "strategi"}


class MeasurableGoals(Rule):
    """Målene er konkrete og målbare: tall, andel eller nivå med tidshorisont.

    A goal steers only if someone can tell, at the end of the period, whether it was met.
    NOVA 5/11 found goals in social-housing plans to be mostly wishes ("alle skal bo
    godt"); the SFI evaluation asks for effect goals with indicators. Level 2 when most
    goals have a target and a horizon; 1 when some do, or a target has no horizon, or an
    indicator lacks a target value; 0 when the goals are aspirations only, or absent.

    Kilde: NOVA 5/11 kap. 7.1; SFI 12:28 (effektmål); DFØ mål- og resultatstyring.
    Svakt: «Alle skal bo godt og trygt.» «Styrke samarbeidet mellom tjenestene.»
    Godt: «Antall bostedsløse skal reduseres fra 25 til 10 innen 2027.» «Ventetid for kommunal bolig under 3 måneder innen 2026.»
    """

    id = "PA001"
    name = "goals.measurable"
    criterion = "measurable_goals"
    severity = "warning"
    citation = "NOVA 5/11 kap. 7.1; SFI 12:28"

    def check(self, ctx: RuleContext) -> Assessment:
        # Goals quoted from national or master plans earn at most level 1; where the plan
        # states goals of its own, those are the ones judged.
        own = tuple(goal for goal in ctx.plan.goals if not goal.borrowed)
        goals = own or ctx.plan.goals
        quantified_measures = [m for m in ctx.plan.measures if find_target(m.text)]
        if not goals:
            quantified = quantified_measures or _targets_in_text(ctx)
            finding = self.finding(
                ctx, ("Planen har ingen tydelig formulerte mål.", "The plan states no explicit goals."),
                ("Skriv hovedmål og delmål med tall, andel eller nivå og en frist, f.eks. «Bygge 20 "
                 "boliger for unge innen 2027».",
                 "State main goals and sub-goals with a number, share or level and a deadline."),
                severity="error")
            level = 1 if quantified else 0
            return Assessment(level, cite(ctx, quantified), [finding])
        measurable = [g for g in goals if _measurable(g)]
        units = goal_units(goals)
        if most(units, _unit_measurable):
            level = 2
        elif measurable or any(_partly(g) for g in goals) or quantified_measures or _targets_in_text(ctx):
            level = 1
        else:
            level = 0
        if level == 2 and not own:
            level = 1
        unmet = [goal for unit in units if not _unit_measurable(unit) for goal in unit[:1]]
        findings = capped(self, ctx, [self._vague(ctx, goal) for goal in unmet],
                          ("… og {rest} mål til uten målbart resultat.",
                           "… and {rest} more goals without a measurable result."))
        evidence = cite(ctx, measurable or [g for g in goals if _partly(g)] or goals)
        return Assessment(level, evidence, findings)

    def _vague(self, ctx: RuleContext, goal: Goal) -> Finding:
        if goal.target and not goal.horizon:
            message = (f"Målet {label_of(goal)} har et måltall ({goal.target}), men ingen tidshorisont.",
                       f"Goal {label_of(goal)} has a target ({goal.target}) but no time horizon.")
            fix = ("Legg til når målet skal være nådd, f.eks. «innen 2027».", "Add when it is to be met.")
        else:
            message = (f"Målet {label_of(goal)} kan ikke etterprøves: det mangler tall, andel eller nivå.",
                       f"Goal {label_of(goal)} cannot be checked: it has no number, share or level.")
            fix = ("Gjør målet målbart med et tall og en frist, f.eks. «redusere ventetiden til under 3 "
                   "måneder innen 2026».", "Make it measurable with a number and a deadline.")
        return self.finding(ctx, message, fix, location=goal.location, evidence=goal.text)
