"""PA010 — a quantified, sourced description of needs and housing."""
from __future__ import annotations

import re

from ..engine import Assessment, Rule, RuleContext
from ..extract import roles_of_path
from ._support import cite

_HOUSING_NEEDS = ("housing_stock", "waiting_list", "homelessness", "evictions", "needs")
# Housing and settlement plans ("boligplan", "bustadsosial", "bosetting av flyktninger").
_HOUSING_PLAN = re.compile(r"bolig|bustad|bosett|busett|botilbud|butilbod|husvær", re.IGNORECASE)
#: Quantified facts it takes to call a knowledge base systematic rather than scattered.
_NEEDS_FACTS = 3
_GROUP_FACTS = 8


class KnowledgeBase(Rule):
    """Planen bygger på et tallfestet og kildebelagt kunnskapsgrunnlag.

    Measures should answer documented needs. Midt-Norge lists the mapping to do
    (kommunale boliger, venteliste, botid, utkastelser, tildeling); the 2023 law on the
    municipalities' social-housing responsibility (§ 5) requires an overview of needs.
    Level 2 with sourced numbers on the plan's own target groups, including for a
    social-housing plan at least one of housing stock, waiting list, homelessness or
    evictions; 1 with a qualitative description or scattered numbers (market and
    demography numbers alone are level 1); 0 with no status description.

    Kilde: Møreforsking Midt-Norge (kartleggingsarbeid); Berke & Godschalk (fact base); boligsosialloven (2023) § 5.
    Svakt: «Det er behov for flere boliger for vanskeligstilte.»
    Godt: «Kommunen eier 212 utleieboliger, og 38 husstander stod på venteliste per 1.1.2025 (kilde: Kostra/SSB).»
    """

    id = "PA010"
    name = "knowledge.fact_base"
    criterion = "knowledge_base"
    citation = "Møreforsking Midt-Norge; boligsosialloven § 5"

    def check(self, ctx: RuleContext) -> Assessment:
        facts = ctx.plan.knowledge
        needs = [f for f in facts if f.topic in _HOUSING_NEEDS]
        groups = [f for f in facts if f.topic == "target_group"]
        sourced = [f for f in facts if f.sourced]
        status_section = any("kunnskapsgrunnlag" in roles_of_path(b.location.section) for b in ctx.document.blocks)
        # A housing plan must quantify housing needs; another plan (dementia care, public
        # health) may instead quantify its target groups, with a higher bar (criteria.md).
        housing_plan = bool(_HOUSING_PLAN.search(ctx.plan.metadata.title or ""))
        own_groups = len(needs) >= _NEEDS_FACTS or (
            not housing_plan and len(groups) >= _GROUP_FACTS and len(sourced) >= 2)
        level = 2 if own_groups and sourced else (1 if facts or status_section else 0)
        if ctx.plan.knowledge_elsewhere and level < 2 and not facts:
            level = 0  # a status chapter that only points to another document describes nothing
        findings = []
        if level < 2:
            findings.append(self.finding(
                ctx, ("Kunnskapsgrunnlaget mangler kildebelagte tall for målgruppene og boligsituasjonen.",
                      "The knowledge base lacks sourced numbers on target groups and housing."),
                ("Tallfest antall kommunale boliger, søkere på venteliste, bostedsløse og begjæringer om "
                 "fravikelse, med kilde (SSB, Kostra, egen kartlegging).",
                 "Quantify municipal housing, waiting list, homelessness and evictions, with sources."),
                location=facts[0].location if facts else None, evidence=facts[0].text if facts else None,
                severity="error" if level == 0 else "warning"))
        return Assessment(level, cite(ctx, [*needs[:2], *groups[:1], *sourced[:1]] or facts), findings)
