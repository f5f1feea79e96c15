"""PA006 — a named administrative owner and a cross-sector working group."""
from __future__ import annotations

from ..engine import Assessment, Rule, RuleContext
from ._support import cite


class AdministrativeAnchoring(Rule):
    """Planen er administrativt forankret: navngitt eier og en tverrsektoriell arbeidsgruppe.

    Social-housing work cuts across NAV, health, property and planning; Møreforsking 2010
    (2.2.1, 2.3) and NOVA 5/11 (7.5) find that it holds together only with a named owner
    in the administration (kommunedirektør, kommunalsjef, styringsgruppe) and a working
    group whose members come from several services. "Administrasjonen" is not an owner.
    Level 2 with both; 1 with one; 0 with neither.

    Kilde: Møreforsking 2010 kap. 2.2.1 og 2.3; NOVA 5/11 kap. 7.5.
    Svakt: «Planen er utarbeidet av administrasjonen.»
    Godt: «Kommunalsjef for helse og omsorg er planeier. Arbeidsgruppen har bestått av NAV, tildelingskontoret, eiendomsavdelingen og flyktningtjenesten.»
    """

    id = "PA006"
    name = "anchoring.administrative"
    criterion = "administrative_anchoring"
    citation = "Møreforsking 2010 kap. 2.2.1, 2.3; NOVA 5/11 kap. 7.5"

    def check(self, ctx: RuleContext) -> Assessment:
        organisation = ctx.plan.organisation
        owners = [item for item in organisation if item.kind == "owner"]
        groups = [item for item in organisation if item.kind == "group"]
        described = [item for item in groups if item.members_described]
        level = 2 if owners and described else (1 if owners or described else 0)
        findings = []
        if not owners:
            findings.append(self.finding(
                ctx, ("Planen navngir ingen administrativ eier (kommunedirektør, kommunalsjef, styringsgruppe).",
                      "The plan names no administrative owner."),
                ("Skriv hvem i administrasjonen som eier planen og har ansvar for gjennomføringen.",
                 "State who in the administration owns the plan.")))
        if not described:
            findings.append(self.finding(
                ctx, ("Planen beskriver ingen tverrsektoriell arbeidsgruppe med medlemmer.",
                      "The plan describes no cross-sector working group and its members."),
                ("List opp hvilke tjenester som har deltatt i arbeidsgruppen (f.eks. NAV, tildeling, eiendom, helse).",
                 "List the services in the working group."),
                location=groups[0].location if groups else None, evidence=groups[0].text if groups else None))
        return Assessment(level, cite(ctx, [*owners[:2], *(described or groups)[:2]]), findings)
