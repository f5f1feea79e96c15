"""PA012 — measures are organised under the goals they serve."""
from __future__ import annotations

from ..engine import Assessment, Rule, RuleContext
from ..model import Goal, Measure
from ._support import cite, label_of


# A plan that keeps its measures in another document may still show a few lines read as
# measures (a link, a remark); so few do not make a measure list.
_STRAY_MEASURES = 5


def _key(goal: Goal) -> str:
    return goal.id or goal.text[:80]


def _served_goals(goals: tuple[Goal, ...], measures: tuple[Measure, ...]) -> list[Goal]:
    """Goals some measure serves: named by a measure, or listed together with one that is.

    Plans list a goal's sub-goals and then its measures; the measures then name the first
    of the run, and the whole run counts as served.
    """
    referenced = {m.goal for m in measures if m.goal}
    items = sorted([(g.location.block, 0, i) for i, g in enumerate(goals) if g.location.block is not None]
                   + [(m.location.block, 1, i) for i, m in enumerate(measures) if m.location.block is not None])
    runs: list[list[Goal]] = []
    previous_was_goal = False
    for _, is_measure, index in items:
        if not is_measure:
            if not previous_was_goal:
                runs.append([])
            runs[-1].append(goals[index])
        previous_was_goal = not is_measure
    served = {id(g) for run in runs if any(_key(g) in referenced for g in run) for g in run}
    return [g for g in goals if _key(g) in referenced or id(g) in served or _related(g.id, referenced)]


def _related(goal_id: str | None, referenced: set[str]) -> bool:
    """Numbered goals form a tree: measures under goal 2 serve sub-goal 2.1, and the reverse."""
    if not goal_id:
        return False
    return any(ref and (ref.startswith(f"{goal_id}.") or goal_id.startswith(f"{ref}.")) for ref in referenced)


class GoalMeasureCoherence(Rule):
    """Tiltakene er ordnet under målene de skal nå, og hvert mål har tiltak.

    The SFI evaluation of the Danish boligsociale helhedsplaner found coherence between
    goals and activities to be what separates plans that steer from lists of good
    intentions; Midt-Norge recommends the chain Mål → Strategi → Tiltak. Level 2 when
    measures are organised under goals and every goal has at least one measure; 1 when
    measures are grouped by theme but not tied to goals, or some goals have none; 0 when
    goals or measures are missing (measures kept in a separate document count as missing).

    Goals are counted by the groups measures are organised under (a goal with its sub-goals,
    a målområde), since plans list sub-goals without measures of their own.

    Kilde: SFI 12:28 (sammenheng mellom mål og aktiviteter); Møreforsking Midt-Norge (Mål → Strategi → Tiltak).
    Svakt: «Kapittel 3: Mål. Kapittel 6: Tiltaksliste» uten kobling mellom dem.
    Godt: «Mål 2: Ingen bostedsløse innen 2027. Tiltak 2.1 … Tiltak 2.2 …»
    """

    id = "PA012"
    name = "coherence.goals_measures"
    criterion = "goal_measure_coherence"
    citation = "SFI 12:28; Møreforsking Midt-Norge"

    def check(self, ctx: RuleContext) -> Assessment:
        # Goals quoted from other documents need no measures here when the plan has its own.
        goals = tuple(goal for goal in ctx.plan.goals if not goal.borrowed) or ctx.plan.goals
        measures = ctx.plan.measures
        if not goals or not measures or (ctx.plan.measures_elsewhere and len(measures) <= _STRAY_MEASURES):
            return self._missing(ctx, goals, measures)
        linked = [m for m in measures if m.goal]
        served = _served_goals(goals, measures)
        without = [g for g in goals if all(g is not s for s in served)]
        groups = {m.goal for m in linked}
        organised = len(linked) * 2 > len(measures) and (len(groups) >= 2 or len(goals) == 1)
        level = 2 if organised else 1
        findings = []
        if len(linked) * 2 <= len(measures):
            findings.append(self.finding(
                ctx, (f"{len(measures) - len(linked)} av {len(measures)} tiltak er ikke knyttet til et mål.",
                      f"{len(measures) - len(linked)} of {len(measures)} measures are not tied to a goal."),
                ("Ordne tiltakene under målene de skal nå (Mål → Strategi → Tiltak), f.eks. med nummer 2.1, 2.2.",
                 "Organise the measures under the goals they serve.")))
        for goal in without[:5]:
            findings.append(self.finding(
                ctx, (f"Målet {label_of(goal)} har ingen tiltak.", f"Goal {label_of(goal)} has no measures."),
                ("Legg til minst ett tiltak som skal nå dette målet, eller ta målet ut.",
                 "Add at least one measure for this goal, or drop it."),
                location=goal.location, evidence=goal.text, severity="info"))
        return Assessment(level, cite(ctx, linked), findings)

    def _missing(self, ctx: RuleContext, goals: tuple[Goal, ...], measures: tuple[Measure, ...]) -> Assessment:
        if ctx.plan.measures_elsewhere and len(measures) <= _STRAY_MEASURES:
            message = ("Tiltakene står i et eget dokument som ikke er med i det som ble revidert.",
                       "The measures are in a separate document that was not part of the audited text.")
            evidence = ctx.plan.measures_elsewhere
        elif not measures:
            message = ("Planen har mål, men ingen tiltak." if goals else "Planen har verken mål eller tiltak.",
                       "The plan has goals but no measures." if goals else "The plan has neither goals nor measures.")
            evidence = None
        else:
            message = ("Planen har tiltak, men ingen mål de skal nå.", "The plan has measures but no goals they serve.")
            evidence = None
        finding = self.finding(
            ctx, message,
            ("Sett opp mål og tiltak i samme plan, med tiltakene ordnet under målene.",
             "Put goals and measures in the same plan, measures under goals."),
            evidence=evidence, severity="error")
        return Assessment(0, cite(ctx, [*goals[:1], *measures[:1]]), [finding])
