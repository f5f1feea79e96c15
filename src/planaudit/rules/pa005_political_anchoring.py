"""PA005 — the plan is adopted by the council and owned by a political body."""
from __future__ import annotations

from ..engine import Assessment, Rule, RuleContext
from ..model import PoliticalEvent
from ._support import cite


def _with_reference(event: PoliticalEvent) -> bool:
    return bool(event.date or event.case)


class PoliticalAnchoring(Rule):
    """Planen er politisk forankret: vedtatt i kommunestyret og fulgt av et politisk organ.

    A plan politicians have not owned does not reach the budget. NOVA 5/11 (7.7) and
    Møreforsking 2010 (2.2.2) find political anchoring decisive for implementation: a
    formal mandate, involvement during the work, and adoption. Level 2 when the plan is
    (to be) adopted by the municipal council with a date or case number AND politicians
    took part or a political body owns or commissioned it; 1 for only one of the two; 0
    when political treatment is not mentioned.

    Kilde: NOVA 5/11 kap. 7.7; Møreforsking 2010 kap. 2.2.2.
    Svakt: «Planen er utarbeidet av administrasjonen.»
    Godt: «Planen ble vedtatt i kommunestyret 12.06.2025, sak 45/25. Hovedutvalg for helse og omsorg behandlet utkastet før høring.»
    """

    id = "PA005"
    name = "anchoring.political"
    criterion = "political_anchoring"
    citation = "NOVA 5/11 kap. 7.7; Møreforsking 2010 kap. 2.2.2"

    def check(self, ctx: RuleContext) -> Assessment:
        events = ctx.plan.political
        adopted = [e for e in events if e.kind == "adoption"]
        intended = [e for e in events if e.kind == "intention"]
        adoption = ctx.plan.metadata.adoption
        # "(or to be adopted)": a council meeting named with its date or case counts too.
        referenced = [e for e in (*adopted, *intended) if _with_reference(e)]
        # An adoption recorded only in the metadata (structured plans) counts as a referenced
        # decision, but has no text or location to cite as evidence.
        adoption_referenced = bool(adoption and adoption.body and (adoption.date or adoption.case))
        has_reference = bool(referenced) or adoption_referenced
        owned = [e for e in events if e.kind in ("involvement", "commission")]
        if has_reference and owned:
            level = 2
        else:
            level = 1 if adopted or adoption or owned or intended else 0
        findings = []
        if not has_reference:
            findings.append(self.finding(
                ctx, ("Planen viser ikke til et kommunestyrevedtak med dato eller saksnummer.",
                      "The plan cites no council decision with date or case number."),
                ("Skriv når og i hvilken sak planen ble (eller skal bli) vedtatt, f.eks. «vedtatt i "
                 "kommunestyret 12.06.2025, sak 45/25».", "State when and in which case the council adopted it."),
                location=adopted[0].location if adopted else None, evidence=adopted[0].text if adopted else None,
                severity="error" if level == 0 else "warning"))
        if not owned:
            findings.append(self.finding(
                ctx, ("Det går ikke fram at politikere deltok i arbeidet eller at et politisk utvalg eier planen.",
                      "Nothing shows politicians took part or a political committee owns the plan."),
                ("Beskriv politisk behandling underveis (oppstart, utvalg før høring) og hvem som følger opp.",
                 "Describe political treatment during the work and who follows it up.")))
        return Assessment(level, cite(ctx, [*referenced, *owned, *adopted, *intended]), findings)
