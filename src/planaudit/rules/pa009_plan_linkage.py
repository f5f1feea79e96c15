"""PA009 — the plan is tied to the kommuneplan and to the økonomiplan."""
from __future__ import annotations

from ..engine import Assessment, Rule, RuleContext
from ._support import cite

_MASTER = ("samfunnsdel", "arealdel", "planstrategi", "kommuneplan", "status")
_ECONOMIC = ("økonomiplan", "handlingsprogram", "budsjett")


class PlanLinkage(Rule):
    """Planen er koblet til kommuneplanen og til økonomiplanen.

    A thematic plan outside the plan system has no budget and no legal weight.
    Møreforsking 2010 (2.2.5) recommends anchoring in the kommuneplan and the økonomiplan;
    PBL § 11-1 asks for a handlingsdel revised yearly. Level 2 when the plan is tied both
    to the master plan (samfunnsdel, arealdel, planstrategi, or its status as kommunedel-
    or temaplan) AND explicitly to the economic plan ("tiltakene innarbeides i
    økonomiplanen"); 1 with only one of them, or a generic mention; 0 with no linkage.

    Kilde: Møreforsking 2010 kap. 2.2.5; Møreforsking Midt-Norge; pbl. § 11-1; kommuneloven § 14-4.
    Svakt: «Kommunen har også andre planer.»
    Godt: «Planen er en temaplan under kommuneplanens samfunnsdel. Tiltakene innarbeides i økonomiplanen 2026–2029.»
    """

    id = "PA009"
    name = "linkage.plan_system"
    criterion = "plan_linkage"
    citation = "Møreforsking 2010 kap. 2.2.5; pbl. § 11-1"

    def check(self, ctx: RuleContext) -> Assessment:
        references = ctx.plan.references
        master = [r for r in references if r.kind in _MASTER]
        economic = [r for r in references if r.kind in _ECONOMIC]
        economic_tie = [r for r in economic if r.explicit]
        level = 2 if master and economic_tie else (1 if master or economic else 0)
        findings = []
        if not master:
            findings.append(self.finding(
                ctx, ("Planen knyttes ikke til kommuneplanen (samfunnsdel, arealdel eller planstrategi).",
                      "The plan is not tied to the municipal master plan."),
                ("Si hvilken status planen har i plansystemet og hvilke mål i kommuneplanens samfunnsdel den følger opp.",
                 "State the plan's status in the plan system and which master-plan goals it follows up.")))
        if not economic_tie:
            findings.append(self.finding(
                ctx, ("Planen sier ikke hvordan tiltakene kommer inn i økonomiplanen eller budsjettet.",
                      "The plan does not say how its measures enter the economic plan or budget."),
                ("Skriv at tiltakene innarbeides i økonomiplanen/handlingsprogrammet ved årlig rullering.",
                 "State that the measures are built into the economic plan at its yearly revision."),
                location=economic[0].location if economic else None, evidence=economic[0].text if economic else None))
        return Assessment(level, cite(ctx, [*master[:2], *(economic_tie or economic)[:2]]), findings)
