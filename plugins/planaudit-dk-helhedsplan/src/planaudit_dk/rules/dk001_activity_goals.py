"""DK001 — every activity of a helhedsplan names the goal or focus area it serves."""
from __future__ import annotations

from collections.abc import Sequence

from planaudit import Assessment, Finding, Rule, RuleContext

from ..activities import Activity, find_activities
from ..vocabulary import load_vocabulary

__all__ = ["ActivityGoals"]

#: Share of activities naming their goal for level 2, and for level 1.
FULL_SHARE = 0.8
PARTIAL_SHARE = 0.25
#: At most this many activities are named in findings; one more finding counts the rest.
MAX_FINDINGS = 8
_EVIDENCE_LINES = 3

_DESCRIBE_ACTIVITIES = (
    ("Beskriv aktiviteterne under hvert indsatsområde, fx i en aktivitetsoversigt med kolonnerne "
     "«Aktivitet» og «Mål»."),
    "Describe the activities under each focus area, e.g. in an overview with the columns 'Aktivitet' and 'Mål'.",
)
_NAME_THE_GOAL = (
    ("Skriv målet eller indsatsområdet ved aktiviteten, fx «Understøtter mål 1.2», eller giv "
     "aktivitetsoversigten en kolonne «Mål»."),
    ("Name the goal or focus area at the activity, e.g. 'Understøtter mål 1.2', or give the "
     "activity overview a column 'Mål'."),
)


class ActivityGoals(Rule):
    """Hver aktivitet angiver det mål eller indsatsområde, den skal understøtte.

    SFI's process evaluation of Landsbyggefonden's 2006–2010 pool found that secretariats
    absorbed in running single activities lose sight of the plan's goals: coherence between
    the formulated goals and the activities was hard to create, and the evaluation calls for
    programme management, asking how each activity helps reach the plan's goals. A plan
    makes that question answerable when every activity says which goal (mål, delmål) or
    focus area (indsatsområde) it serves: in a column of the activity overview, in its
    description, or in a line such as "Understøtter mål 2". Activities are read from tables
    with an "Aktivitet" column, two-column activity descriptions, headings or lines such as
    "Aktivitet 2.1: Lektiecafé", and lists under a heading "Aktiviteter". Level 2 when at
    least 80 % of the activities name their goal, 1 when at least a quarter do, 0 otherwise
    or when a helhedsplan has no activities at all. Documents that are no helhedsplan
    (no "helhedsplan", "boligsocial indsats", "Landsbyggefonden") are not assessed.

    Kilde: Procesevaluering af boligsociale indsatser, delrapport 2 (SFI – Det Nationale Forskningscenter for
    Velfærd, rapport 12:28, 2012), resumé «Behov for øget fokus på programledelse».
    Svakt: «Aktiviteter: Lektiecafé, sommerfest, fodboldklub» uden mål eller indsatsområde.
    Godt: «Aktivitet 1.2: Lektiecafé. Understøtter mål 1: Flere unge gennemfører en ungdomsuddannelse.»
    """

    id = "DK001"
    name = "dk.coherence.activity_goals"
    criterion = "dk_coherence"
    severity = "warning"

    def check(self, ctx: RuleContext) -> Assessment:
        vocabulary = load_vocabulary()
        activities = find_activities(ctx.document.blocks, vocabulary)
        if not activities:
            if not vocabulary.is_helhedsplan(ctx.document.text):
                return Assessment(None)
            return Assessment(0, findings=[self._no_activities(ctx)])
        linked = [activity for activity in activities if activity.names_goal]
        share = len(linked) / len(activities)
        level = 2 if share >= FULL_SHARE else 1 if share >= PARTIAL_SHARE else 0
        unlinked = [activity for activity in activities if not activity.names_goal]
        summary = ctx.t(f"{len(linked)} af {len(activities)} aktiviteter angiver deres mål",
                        f"{len(linked)} of {len(activities)} activities name their goal")
        evidence = [summary, *_cite(ctx, linked)]
        return Assessment(level, evidence, self._unlinked_findings(ctx, unlinked, len(activities)))

    def _no_activities(self, ctx: RuleContext) -> Finding:
        return self.finding(
            ctx,
            ("Helhedsplanen beskriver ingen aktiviteter, der kan knyttes til dens mål.",
             "The helhedsplan describes no activities that can be tied to its goals."),
            _DESCRIBE_ACTIVITIES,
            severity="error")

    def _unlinked_findings(self, ctx: RuleContext, unlinked: Sequence[Activity], total: int) -> list[Finding]:
        findings = [self._unlinked(ctx, activity) for activity in unlinked[:MAX_FINDINGS]]
        rest = len(unlinked) - MAX_FINDINGS
        if rest > 0:
            findings.append(self.finding(
                ctx,
                (f"… og {rest} aktiviteter mere uden mål ({len(unlinked)} af {total} i alt).",
                 f"… and {rest} more activities without a goal ({len(unlinked)} of {total} in all)."),
                location=unlinked[MAX_FINDINGS].location))
        return findings

    def _unlinked(self, ctx: RuleContext, activity: Activity) -> Finding:
        return self.finding(
            ctx,
            (f"Aktiviteten «{_short(activity.name)}» angiver ikke, hvilket mål eller indsatsområde den understøtter.",
             f"The activity «{_short(activity.name)}» does not name the goal or focus area it serves."),
            _NAME_THE_GOAL,
            location=activity.location, evidence=activity.text)


def _cite(ctx: RuleContext, activities: Sequence[Activity]) -> list[str]:
    """Evidence lines for the first activities that name their goal: where and which."""
    word = "page" if ctx.lang == "en" else "side"
    lines = []
    for activity in activities[:_EVIDENCE_LINES]:
        where = activity.location.describe(word)
        quote = f"«{_short(activity.text.replace(chr(10), ' '))}»"
        lines.append(f"{where}: {quote}" if where else quote)
    return lines


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
