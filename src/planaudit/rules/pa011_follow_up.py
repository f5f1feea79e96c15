"""PA011 — how and when progress is reported, evaluated and the plan revised."""
from __future__ import annotations

from ..engine import Assessment, Rule, RuleContext
from ._support import cite


class FollowUp(Rule):
    """Planen sier hvordan og når den rapporteres, evalueres og rulleres.

    Without a learning loop a plan is forgotten after adoption. The SFI evaluation asks
    for systematic documentation and follow-up; Møreforsking 2010 for yearly revision
    (rullering); NOVA 5/11 for reporting routines. Level 2 when the plan says how and when
    progress is reported or evaluated (e.g. yearly, to whom) AND when it is revised; 1
    when follow-up or revision is mentioned only generally; 0 when nothing is said.

    Kilde: SFI 12:28 (dokumentasjon og oppfølging); Møreforsking 2010 (læringssløyfer, årlig rullering); NOVA 5/11 sammendrag.
    Svakt: «Planen skal følges opp.»
    Godt: «Status rapporteres årlig til kommunestyret i årsmeldingen. Planen evalueres i 2027 og rulleres hvert fjerde år.»
    """

    id = "PA011"
    name = "follow_up.loop"
    criterion = "follow_up"
    citation = "SFI 12:28; Møreforsking 2010"

    def check(self, ctx: RuleContext) -> Assessment:
        clauses = ctx.plan.follow_up
        scheduled = [c for c in clauses if c.kind in ("reporting", "evaluation") and (c.schedule or c.recipient)]
        # "rulleres ved behov" says nothing of when: only a dated or recurring revision counts.
        revision = [c for c in clauses if c.kind == "revision" and c.schedule]
        level = 2 if scheduled and revision else (1 if clauses else 0)
        findings = []
        if not scheduled:
            findings.append(self.finding(
                ctx, ("Planen sier ikke når og til hvem framdriften rapporteres eller evalueres.",
                      "The plan does not say when and to whom progress is reported or evaluated."),
                ("Skriv f.eks. «Status for tiltakene rapporteres årlig til kommunestyret i årsmeldingen».",
                 "E.g. 'Progress is reported yearly to the council in the annual report'."),
                severity="error" if level == 0 else "warning"))
        if not revision:
            findings.append(self.finding(
                ctx, ("Planen sier ikke når den skal rulleres eller revideres.", "The plan does not say when it is revised."),
                ("Angi rullering, f.eks. «handlingsdelen rulleres årlig, planen revideres i 2028».",
                 "State when it is revised.")))
        return Assessment(level, cite(ctx, [*scheduled[:2], *revision[:1]] or clauses), findings)
