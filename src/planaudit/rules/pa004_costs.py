"""PA004 — measures have cost estimates or a funding statement."""
from __future__ import annotations

import re

from ..engine import Assessment, Rule, RuleContext
from ..extract import find_money
from ..model import BlockKind, Finding, Measure
from ._support import capped, cite, label_of, most, page_word


_ABOUT_MEASURES = re.compile(
    r"\b(?:tiltak\w*|planen|planens|gjennomføring\w*|gjennomføre|økonomiplan\w*|budsjettvedtak\w*|handlingsplan\w*)\b",
    re.IGNORECASE,
)


def _costed(measure: Measure) -> bool:
    return bool(measure.cost) and not measure.cost_generic


class Costs(Rule):
    """Tiltakene har kostnadsoverslag eller finansiering.

    A measure without money is a wish: Møreforsking 2010 names missing budget decisions
    as a main obstacle, and the Midt-Norge template has a column "Kostnad". A statement
    of funding counts: an amount, "innenfor eksisterende rammer", or a named grant such
    as Husbanken's tilskudd. Level 2 when most measures have one, or the plan has a cost
    table; 1 when a few do, or the plan only says measures need budget decisions; 0 when
    costs and funding are not mentioned.

    Kilde: Møreforsking Midt-Norge (mal: «Kostnad»); Møreforsking 2010 utfordring 2; NOVA 5/11 sammendrag.
    Svakt: «Tiltakene vil kreve prioritering av midler.»
    Godt: «Tiltak 3.2 Kjøpe fire utleieboliger. Kostnad: kr 12 mill., finansiert med startlån og tilskudd fra Husbanken.»
    """

    id = "PA004"
    name = "measures.cost"
    criterion = "costs"
    citation = "Møreforsking Midt-Norge; Møreforsking 2010"

    def check(self, ctx: RuleContext) -> Assessment:
        measures = ctx.plan.measures
        costed = [m for m in measures if _costed(m)]
        generic = [m for m in measures if m.cost_generic]
        table = self._cost_table(ctx)
        statements = self._cost_statements(ctx)
        if (measures and most(measures, _costed)) or table:
            level = 2
        else:
            level = 1 if costed or generic or statements else 0
        findings = capped(self, ctx, [self._missing(ctx, m) for m in measures if not _costed(m)],
                          ("… og {rest} tiltak til uten kostnad eller finansiering.",
                           "… and {rest} more measures without cost or funding."))
        if level == 0:
            findings.append(self.finding(
                ctx, ("Planen sier ingenting om kostnader eller finansiering.", "The plan says nothing on costs or funding."),
                ("Før opp kostnad og finansiering per tiltak, eller si at det dekkes innenfor eksisterende rammer.",
                 "Give cost and funding per measure, or state it is covered within existing budgets."), severity="error"))
        return Assessment(level, [*cite(ctx, costed or generic), *statements[:2]], findings)

    def _cost_table(self, ctx: RuleContext) -> bool:
        for block in ctx.document.blocks:
            if block.kind is BlockKind.table and block.rows:
                header = " ".join(block.rows[0]).lower()
                amounts = sum(1 for row in block.rows[1:] for cell in row
                              if (money := find_money(cell)) and money.kind == "amount")
                if ("kostnad" in header or "budsjett" in header) and amounts >= 3:
                    return True
        return False

    def _cost_statements(self, ctx: RuleContext) -> list[str]:
        """Sentences that tie money to the plan's measures: "tiltakene krever budsjettvedtak"."""
        found = []
        for block in ctx.document.blocks:
            if block.kind is BlockKind.heading or not _ABOUT_MEASURES.search(block.text):
                continue
            money = find_money(block.text)
            if money:
                found.append(f"{block.location.describe(page_word(ctx))}: «{money.text}»")
        return found

    def _missing(self, ctx: RuleContext, measure: Measure) -> Finding:
        return self.finding(
            ctx,
            (f"Tiltak {label_of(measure)} mangler kostnad eller finansiering.",
             f"Measure {label_of(measure)} has no cost or funding."),
            ("Angi et kostnadsoverslag (kr) eller finansieringskilde, f.eks. «innenfor eksisterende rammer».",
             "Give a cost estimate or funding source."),
            location=measure.location, evidence=measure.text)
