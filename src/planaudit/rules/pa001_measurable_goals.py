"""PA001 — goals carry checkable targets with a time horizon."""
from __future__ import annotations

from ..engine import Assessment, Rule, RuleContext
from ..extract.targets import find_target
from ..model import Finding, Goal
from ._support import capped, cite, label_of, most


def _measurable(goal: Goal) -> bool:
    return bool(goal.target and goal.horizon) and not goal.borrowed


def _partly(goal: Goal) -> bool:
    return bool(goal.target or goal.indicator)


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
        goals = ctx.plan.goals
        quantified_measures = [m for m in ctx.plan.measures if find_target(m.text)]
        if not goals:
            finding = self.finding(
                ctx, ("Planen har ingen tydelig formulerte mål.", "The plan states no explicit goals."),
                ("Skriv hovedmål og delmål med tall, andel eller nivå og en frist, f.eks. «Bygge 20 "
                 "boliger for unge innen 2027».",
                 "State main goals and sub-goals with a number, share or level and a deadline."),
                severity="error")
            level = 1 if quantified_measures else 0
            return Assessment(level, cite(quantified_measures), [finding])
        measurable = [g for g in goals if _measurable(g)]
        level = 2 if most(goals, _measurable) else (
            1 if measurable or any(_partly(g) for g in goals) or quantified_measures else 0)
        if level == 2 and any(g.borrowed for g in goals):
            level = 1
        findings = capped([self._vague(ctx, goal) for goal in goals if not _measurable(goal)],
                          lambda rest: self.finding(ctx, (f"… og {rest} mål til uten målbart resultat.",
                                                          f"… and {rest} more goals without a measurable result.")))
        evidence = cite(measurable or [g for g in goals if _partly(g)] or goals)
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
