"""PA008 — users and the public took part in making the plan (PBL § 5-1)."""
from __future__ import annotations

from ..engine import Assessment, Rule, RuleContext
from ._support import cite

_ACTIVE = ("workshop", "meeting", "interview", "council")


class UserParticipation(Rule):
    """Brukere og innbyggere har medvirket i arbeidet med planen (pbl. § 5-1).

    Plan- og bygningsloven § 5-1 requires active participation, especially of groups
    that need special arrangement. Møreforsking 2010 (2.2.4) finds user participation
    mostly absent. Level 2 when users, user organisations or councils (eldreråd,
    ungdomsråd, råd for personer med funksjonsnedsettelse) took part through workshops,
    meetings, interviews or a statement on the draft AND the plan was on public
    consultation (høring, offentlig ettersyn); 1 with only one of them, only intentions,
    or users only as survey respondents; 0 when participation is not mentioned.

    Kilde: Møreforsking 2010 kap. 2.2.4; Møreforsking Midt-Norge (pbl. § 1-1, § 5-1, medvirkningsplan).
    Svakt: «Brukermedvirkning er viktig i det boligsosiale arbeidet.»
    Godt: «Det ble holdt en workshop med brukerorganisasjonene, eldrerådet ga uttalelse, og planen lå ute på høring i seks uker.»
    """

    id = "PA008"
    name = "participation.users"
    criterion = "user_participation"
    citation = "Møreforsking 2010 kap. 2.2.4; pbl. § 5-1"

    def check(self, ctx: RuleContext) -> Assessment:
        events = ctx.plan.participation
        active = [e for e in events if e.kind in _ACTIVE]
        hearing = [e for e in events if e.kind == "hearing"]
        other = [e for e in events if e.kind in ("survey", "plan", "intention")]
        level = 2 if active and hearing else (1 if events else 0)
        findings = []
        if not active:
            message = (("Medvirkning nevnes bare som plan, intensjon eller spørreundersøkelse; det går ikke fram "
                        "at brukere, brukerorganisasjoner eller rådene deltok i arbeidet.",
                        "Participation appears only as a plan, an intention or a survey; nothing shows users, "
                        "user organisations or councils took part in the work.") if other else
                       ("Det går ikke fram at brukere, brukerorganisasjoner eller rådene deltok i arbeidet.",
                        "Nothing shows users, user organisations or councils took part in the work."))
            findings.append(self.finding(
                ctx, message,
                ("Beskriv medvirkningen: workshop, møter eller intervjuer med brukere, og uttalelse fra "
                 "eldrerådet og rådet for personer med funksjonsnedsettelse (pbl. § 5-1).",
                 "Describe participation: workshops, meetings, interviews, council statements (PBL § 5-1)."),
                location=other[0].location if other else None, evidence=other[0].text if other else None,
                severity="error" if level == 0 else "warning"))
        if not hearing:
            findings.append(self.finding(
                ctx, ("Planen nevner ikke høring eller offentlig ettersyn.", "The plan mentions no public consultation."),
                ("Legg planen ut på høring / offentlig ettersyn og omtal innspillene.",
                 "Put the plan on public consultation and report the input.")))
        return Assessment(level, cite(ctx, [*active[:2], *hearing[:1], *other[:1]]), findings)
