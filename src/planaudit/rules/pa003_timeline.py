"""PA003 — measures have deadlines or a dated progress plan."""
from __future__ import annotations

import re

from ..engine import Assessment, Rule, RuleContext
from ..extract import find_timing
from ..model import BlockKind, Finding, Measure
from ._support import capped, cite, label_of, most


_PROGRESS_PLAN = re.compile(r"\b(?:fram|frem)driftsplan\w*|\btidsplan\w*|\bmilepæl\w*|\bårshjul\w*", re.IGNORECASE)
_PROGRESS_PLAN_DATES = 3


def _timed(measure: Measure) -> bool:
    return bool(measure.deadline) and not measure.deadline_vague


class Timeline(Rule):
    """Tiltakene har tidsfrist eller periode, eller planen har en datert framdriftsplan.

    Without dates a plan cannot be followed up: NOVA 5/11 asks for a detailed progress
    plan, and the Midt-Norge template has a column "Tidsfrist". A recurring schedule
    ("årlig") counts as timing. Level 2 when most measures are timed; 1 when only the
    plan period is given, a few measures are timed, or timing is vague ("løpende",
    "i planperioden"); 0 when there is no timing at all.

    Kilde: NOVA 5/11 kap. 7.2; Møreforsking Midt-Norge (mal: «Tidsfrist»).
    Svakt: «Tiltaket gjennomføres fortløpende i planperioden.»
    Godt: «Tiltak 1.3 Kartlegge boligbehovet til unge. Frist: 2. kvartal 2026.»
    """

    id = "PA003"
    name = "measures.deadline"
    criterion = "timeline"
    citation = "NOVA 5/11 kap. 7.2"

    def check(self, ctx: RuleContext) -> Assessment:
        measures = ctx.plan.measures
        period = ctx.plan.metadata.period
        timed = [m for m in measures if _timed(m)]
        vague = [m for m in measures if m.deadline_vague]
        if (measures and most(measures, _timed)) or self._progress_plan(ctx):
            level = 2
        else:
            level = 1 if timed or vague or period else 0
        findings = capped(self, ctx, [self._missing(ctx, m) for m in measures if not _timed(m)],
                          ("… og {rest} tiltak til uten tidsfrist.", "… and {rest} more measures without a deadline."))
        if not measures:
            findings.append(self.finding(
                ctx, ("Fant ingen tiltak med tidsfrister.", "Found no measures with deadlines."),
                ("Lag en tiltakstabell med kolonnen «Tidsfrist» (år, kvartal eller dato).",
                 "Add a measure table with a 'Tidsfrist' column."), severity="error"))
        evidence = cite(ctx, timed or vague)
        if period and not timed:
            evidence.append(ctx.t(f"planperiode {period[0]}–{period[1]}", f"plan period {period[0]}–{period[1]}"))
        return Assessment(level, evidence, findings)

    def _progress_plan(self, ctx: RuleContext) -> bool:
        """A dated progress plan: a section called framdriftsplan/tidsplan with several dates."""
        dated = 0
        for block in ctx.document.blocks:
            if block.kind is not BlockKind.heading and any(_PROGRESS_PLAN.search(t) for t in block.location.section):
                timing = find_timing(block.text, bare_year=block.kind is BlockKind.table)
                dated += bool(timing and not timing.vague)
        return dated >= _PROGRESS_PLAN_DATES

    def _missing(self, ctx: RuleContext, measure: Measure) -> Finding:
        if measure.deadline_vague:
            message = (f"Tiltak {label_of(measure)} har bare vag tidsangivelse («{measure.deadline}»).",
                       f"Measure {label_of(measure)} has only vague timing ('{measure.deadline}').")
        else:
            message = (f"Tiltak {label_of(measure)} mangler tidsfrist.", f"Measure {label_of(measure)} has no deadline.")
        fix = ("Angi år, kvartal eller dato, f.eks. «innen utgangen av 2026».",
               "Give a year, quarter or date, e.g. 'by the end of 2026'.")
        return self.finding(ctx, message, fix, location=measure.location, evidence=measure.text)
