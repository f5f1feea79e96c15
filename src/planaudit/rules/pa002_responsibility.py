"""PA002 — each measure names a responsible unit."""
from __future__ import annotations

from ..engine import Assessment, Rule, RuleContext
from ..model import Finding, Measure
from ._support import capped, cite, label_of, most


def _named(measure: Measure) -> bool:
    return bool(measure.responsible) and not measure.responsible_generic


class Responsibility(Rule):
    """Tiltakene har navngitt ansvarlig enhet eller rolle.

    A measure nobody owns is not carried out. NOVA 5/11 saw plans where "kommunen" was
    responsible for everything; the SFI evaluation lists a clear split of roles as a
    success condition, and the Midt-Norge template has a column "Ansvarlig". Level 2 when
    most measures name a unit, service, company or office-holder; 1 when some do, when
    responsibility is only generic ("kommunen", "alle enheter"), or only for the plan as a
    whole; 0 when nobody is responsible for anything.

    Kilde: NOVA 5/11 kap. 7.6; SFI 12:28 (roller og ansvar); Møreforsking Midt-Norge (mal: «Ansvarlig»).
    Svakt: «Tiltak: Styrke oppfølgingen i bolig. Ansvar: kommunen.»
    Godt: «Tiltak 2.1 Etablere boligsosialt team. Ansvarlig: NAV og tildelingskontoret.»
    """

    id = "PA002"
    name = "measures.responsible"
    criterion = "responsibility"
    citation = "NOVA 5/11 kap. 7.6; SFI 12:28"

    def check(self, ctx: RuleContext) -> Assessment:
        measures = ctx.plan.measures
        plan_level = [item for item in ctx.plan.organisation if item.kind == "owner"]
        if not measures:
            level = 1 if plan_level else 0
            finding = self.finding(
                ctx, ("Fant ingen tiltak å knytte ansvar til.", "Found no measures to assign responsibility to."),
                ("Før opp tiltakene med en kolonne «Ansvarlig» som navngir enhet eller rolle.",
                 "List the measures with a column 'Ansvarlig' naming a unit or role."), severity="error")
            return Assessment(level, cite(ctx, plan_level), [finding])
        named = [m for m in measures if _named(m)]
        generic = [m for m in measures if m.responsible and m.responsible_generic]
        level = 2 if most(measures, _named) else (1 if named or generic or plan_level else 0)
        findings = [self._missing(ctx, m) for m in measures if not _named(m)]
        findings = capped(self, ctx, findings, ("… og {rest} tiltak til uten navngitt ansvarlig.",
                                                "… and {rest} more measures without a named owner."))
        return Assessment(level, cite(ctx, named or generic or plan_level), findings)

    def _missing(self, ctx: RuleContext, measure: Measure) -> Finding:
        if measure.responsible:
            message = (f"Tiltak {label_of(measure)} har bare generelt ansvar («{measure.responsible}»).",
                       f"Measure {label_of(measure)} has only generic responsibility ('{measure.responsible}').")
        else:
            message = (f"Tiltak {label_of(measure)} mangler ansvarlig enhet.",
                       f"Measure {label_of(measure)} has no responsible unit.")
        fix = ("Navngi enheten eller rollen som har ansvaret, f.eks. «Ansvarlig: tildelingskontoret».",
               "Name the unit or role in charge, e.g. 'Ansvarlig: tildelingskontoret'.")
        return self.finding(ctx, message, fix, location=measure.location, evidence=measure.text)
