"""PA007 — actors outside the municipality take part or carry measures."""
from __future__ import annotations

from ..engine import Assessment, Rule, RuleContext
from ..extract import external_actors_in
from ._support import cite


class ExternalAnchoring(Rule):
    """Eksterne aktører deltar i arbeidet eller har konkrete roller i tiltakene.

    Housing for disadvantaged people needs NAV, Husbanken, statsforvalteren, voluntary
    organisations, private landlords and builders. Møreforsking 2010 (2.2.3) finds
    external anchoring weakest of all; Midt-Norge recommends reference groups. Level 2
    when external actors took part in the work or carry roles in measures; 1 when they
    are only mentioned, or only as providers of instruments (Husbanken's loans); 0 when
    none are named.

    Kilde: Møreforsking 2010 kap. 2.2.3 og utfordring 1; Møreforsking Midt-Norge (referansegrupper).
    Svakt: «Husbanken har flere låne- og tilskuddsordninger.»
    Godt: «Tiltak 4.1 Samarbeidsavtale med boligbyggelaget om 10 utleieboliger. Ansvarlig: eiendomssjef og USBL.»
    """

    id = "PA007"
    name = "anchoring.external"
    criterion = "external_anchoring"
    citation = "Møreforsking 2010 kap. 2.2.3"

    def check(self, ctx: RuleContext) -> Assessment:
        actors = ctx.plan.actors
        in_measures = [m for m in ctx.plan.measures if external_actors_in(f"{m.text} {m.responsible or ''}")]
        participants = [a for a in actors if a.role == "participant"]
        names = {a.name for a in participants}
        if in_measures or len(participants) >= 2 and names:
            level = 2
        else:
            level = 1 if actors else 0
        findings = []
        if level < 2:
            findings.append(self.finding(
                ctx, ("Eksterne aktører (NAV, Husbanken, frivillige, utbyggere) har ingen konkret rolle i planen.",
                      "External actors have no concrete role in the plan."),
                ("Gi eksterne samarbeidspartnere roller i tiltakene, f.eks. «i samarbeid med NAV» eller "
                 "«avtale med boligbyggelaget».", "Give external partners roles in the measures."),
                location=actors[0].location if actors else None, evidence=actors[0].text if actors else None,
                severity="error" if level == 0 else "warning"))
        return Assessment(level, cite(ctx, [*in_measures[:2], *participants[:2], *actors[:1]]), findings)
