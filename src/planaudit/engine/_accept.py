"""Accepting findings with a reason: markers in the document's comments and ``[[accept]]``
entries in the configuration.

A plan's author writes, in a Word or ODT comment, an HTML or Markdown comment, or a PDF note::

    planaudit-godta PA004: Kostnadene vedtas i budsjettet for 2026
    planaudit-accept PA004,costs «Tiltak 3.1»: reason

Rule ids or criterion ids, separated by commas; optionally a quote (in «», "" or “”) that
must occur in the finding's evidence; then a colon and the reason, which is required. The
marker accepts the findings of those rules in the section where it sits and the sections
under it; a marker before the first heading accepts them in the whole document. A marker
without ids or reason, or naming a rule nobody registered, accepts nothing and becomes a
warning notification naming its page or line.

An accepted finding keeps its place in the report with a :class:`Suppression`; the rule's
level and score for its criterion stay as they were: accepting records a decision, it does
not make the plan better. Readers only surface the comments; the markers are read here.
"""
from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from ..errors import ConfigError
from ..model import AuditReport, Comment, Document, Finding, Location, Notification, Suppression
from ._baseline import file_name, normalise
from ._plugins import Registry

__all__ = [
    "ConfigAccept",
    "InlineAccept",
    "MarkerText",
    "accept_names",
    "apply_accepts",
    "config_accepts",
    "is_unused_accept_note",
    "parse_markers",
    "resolve_accepts",
    "unused_config_accepts",
]

_MARKER = re.compile(r"planaudit-(godta|accept)\b", re.IGNORECASE)
_IDS = re.compile(r"\s+([A-Za-z][\w.-]*(?:[ \t]*,[ \t]*[A-Za-z][\w.-]*)*)")
_QUOTE = re.compile(r"\s*(?:«([^»]*)»|\"([^\"]*)\"|“([^”]*)”)")
_COLON = re.compile(r"\s*:")
_SEPARATOR = " > "

Problem = Literal["no_ids", "no_reason"]


@dataclass(frozen=True)
class MarkerText:
    """One marker as written: its ids, quote and reason, or what is missing."""

    ids: tuple[str, ...]
    quote: str | None
    reason: str
    problem: Problem | None = None


def parse_markers(text: str) -> list[MarkerText]:
    """Every ``planaudit-godta``/``planaudit-accept`` marker in a comment. A marker's reason
    runs to the next marker or the end of the comment, its lines joined."""
    starts = list(_MARKER.finditer(text))
    markers = []
    for index, start in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        markers.append(_parse_one(text[start.end():end]))
    return markers


def _parse_one(rest: str) -> MarkerText:
    ids_match = _IDS.match(rest)
    if ids_match is None:
        return MarkerText((), None, "", "no_ids")
    ids = tuple(part.strip() for part in ids_match.group(1).split(",") if part.strip())
    position = ids_match.end()
    quote = None
    quote_match = _QUOTE.match(rest, position)
    if quote_match is not None:
        quote = next(group for group in quote_match.groups() if group is not None).strip() or None
        position = quote_match.end()
    colon = _COLON.match(rest, position)
    reason = " ".join(rest[colon.end():].split()) if colon is not None else ""
    return MarkerText(ids, quote, reason, None if reason else "no_reason")


# --- the accepts ------------------------------------------------------------------------------


def _section_parts(section: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in section.split(_SEPARATOR)) if section else ()


def _names(finding: Finding, names: frozenset[str]) -> bool:
    return finding.rule in names or finding.criterion in names


@dataclass(frozen=True)
class InlineAccept:
    """A marker in the document: its rules, the section it covers, and where it is."""

    rules: frozenset[str]
    reason: str
    section: tuple[str, ...]
    where: str
    written: str
    quote: str | None = None

    def matches(self, finding: Finding) -> bool:
        if not _names(finding, self.rules):
            return False
        if _section_parts(finding.location.section)[:len(self.section)] != self.section:
            return False
        return self.quote is None or normalise(self.quote) in normalise(finding.evidence)

    def suppression(self) -> Suppression:
        return Suppression(kind="inline", reason=self.reason, source=self.where)


@dataclass(frozen=True)
class ConfigAccept:
    """One ``[[accept]]`` entry of the configuration file, numbered from 1 as written."""

    number: int
    rule: str
    reason: str
    file: str
    document: str | None = None
    section: str | None = None
    quote: str | None = None

    def matches(self, document_path: str, finding: Finding) -> bool:
        if not _names(finding, frozenset((self.rule,))):
            return False
        if self.document is not None and not fnmatch.fnmatchcase(file_name(document_path).casefold(),
                                                                 self.document.casefold()):
            return False
        if self.section is not None and normalise(self.section) not in normalise(finding.location.section):
            return False
        return self.quote is None or normalise(self.quote) in normalise(finding.evidence)

    def label(self, lang: str) -> str:
        """How a message names the entry: "planaudit.toml (accept nr. 2, PA004)"."""
        number = f"accept #{self.number}" if lang == "en" else f"accept nr. {self.number}"
        return f"{self.file} ({number}, {self.rule})"

    def suppression(self, lang: str) -> Suppression:
        number = f"accept #{self.number}" if lang == "en" else f"accept nr. {self.number}"
        return Suppression(kind="config", reason=self.reason, source=f"{self.file} ({number})")


def config_accepts(entries: Any, source: str | None) -> tuple[ConfigAccept, ...]:
    """The ``accept`` entries of a configuration (checked by ``load_config``) as records."""
    file = file_name(source) if source else "planaudit.toml"
    return tuple(
        ConfigAccept(number=number, rule=entry["rule"].strip(), reason=" ".join(entry["reason"].split()), file=file,
                     document=entry.get("document"), section=entry.get("section"), quote=entry.get("quote"))
        for number, entry in enumerate(entries or [], start=1)
    )


def accept_names(registry: Registry) -> list[str]:
    """What an accept may name: every registered rule id and criterion id."""
    return [*registry.rules, *(rule.criterion for rule in registry.rules.values())]


def _known(names: Iterable[str]) -> dict[str, str]:
    """Rule and criterion ids by their case-folded form: "pa004" names PA004."""
    return {name.casefold(): name for name in names}


def resolve_accepts(accepts: Sequence[ConfigAccept], known_names: Iterable[str],
                    config_path: str | None = None) -> tuple[ConfigAccept, ...]:
    """The entries with their rule spelled as registered ("pa004" names PA004); an entry
    naming a rule or criterion nobody registered is an error naming the file and the entry."""
    known = _known(known_names)
    resolved = []
    for accept in accepts:
        rule = known.get(accept.rule.casefold())
        if rule is None:
            raise ConfigError(config_path or accept.file,
                              f"accept nr. {accept.number}: ukjent regel eller kriterium {accept.rule!r}",
                              f"accept #{accept.number}: unknown rule or criterion {accept.rule!r}")
        resolved.append(replace(accept, rule=rule))
    return tuple(resolved)


# --- markers in a document ----------------------------------------------------------------------


def _where(location: Location, lang: str) -> str:
    if location.page is not None:
        return f"page {location.page}" if lang == "en" else f"side {location.page}"
    if location.line is not None:
        return f"line {location.line}" if lang == "en" else f"linje {location.line}"
    if location.section:
        return f"in “{location.section[-1]}”" if lang == "en" else f"i «{location.section[-1]}»"
    return "in the document" if lang == "en" else "i dokumentet"


def _keyword(lang: str) -> str:
    return "planaudit-accept" if lang == "en" else "planaudit-godta"


def _on(where: str, lang: str) -> str:
    """ "on page 4" / "på side 4"; "i «Tiltak»" and "i dokumentet" need no preposition."""
    if where.startswith(("in ", "i ")):
        return where
    return f"on {where}" if lang == "en" else f"på {where}"


def _marker_note(problem: str, written: str, where: str, lang: str, unknown: str = "") -> Notification:
    head = f"{_keyword(lang)} {written}".strip() + f" {_on(where, lang)}"
    texts = {
        "no_ids": (f"{head} nevner ingen regel (skriv f.eks. «planaudit-godta PA004: begrunnelse») "
                   "og godtar ingen funn",
                   f"{head} names no rule (write e.g. 'planaudit-accept PA004: reason') and accepts no findings"),
        "no_reason": (f"{head} mangler begrunnelse etter kolon og godtar ingen funn",
                      f"{head} has no reason after a colon and accepts no findings"),
        "unknown": (f"{head} nevner ukjent regel eller kriterium {unknown!r} og godtar ingen funn",
                    f"{head} names unknown rule or criterion {unknown!r} and accepts no findings"),
        "unused": (f"{head} traff ingen funn", f"{head} matched no finding"),
    }
    nb, en = texts[problem]
    return Notification(level="warning", message=en if lang == "en" else nb, code=f"accept.{problem}")


def is_unused_accept_note(note: Notification) -> bool:
    """Whether a notification is the one ``warn_unused`` adds for a marker that matched nothing."""
    return note.code == "accept.unused"


def _markers(comments: Iterable[Comment], known: Mapping[str, str],
             lang: str) -> tuple[list[InlineAccept], list[Notification]]:
    accepts: list[InlineAccept] = []
    notes: list[Notification] = []
    for comment in comments:
        where = _where(comment.location, lang)
        for marker in parse_markers(comment.text):
            written = ",".join(marker.ids)
            if marker.problem is not None:
                notes.append(_marker_note(marker.problem, written, where, lang))
                continue
            unknown = [name for name in marker.ids if name.casefold() not in known]
            if unknown:
                notes.append(_marker_note("unknown", written, where, lang, unknown[0]))
                continue
            accepts.append(InlineAccept(rules=frozenset(known[name.casefold()] for name in marker.ids),
                                        reason=marker.reason, section=comment.location.section, where=where,
                                        written=written, quote=marker.quote))
    return accepts, notes


def apply_accepts(findings: Sequence[Finding], document: Document, known_names: Iterable[str],
                  config: Sequence[ConfigAccept] = (), lang: str = "nb",
                  warn_unused: bool = False) -> tuple[list[Finding], list[Notification]]:
    """The findings with the accepted ones marked, and notifications about the markers.

    A marker in the document goes before an entry in the configuration; the first that
    matches gives the finding its suppression. With ``warn_unused``, a marker that matches
    no finding is a warning notification too.
    """
    known = _known(known_names)
    inline, notes = _markers(document.comments, known, lang)
    used = [False] * len(inline)
    marked: list[Finding] = []
    for finding in findings:
        suppression = finding.suppression
        for index, accept in enumerate(inline):
            if accept.matches(finding):
                used[index] = True
                suppression = suppression or accept.suppression()
        if suppression is None:
            accept_entry = next((entry for entry in config if entry.matches(document.path, finding)), None)
            suppression = accept_entry.suppression(lang) if accept_entry is not None else None
        marked.append(finding if suppression is finding.suppression
                      else finding.model_copy(update={"suppression": suppression}))
    if warn_unused:
        notes += [_marker_note("unused", accept.written, accept.where, lang)
                  for accept, hit in zip(inline, used) if not hit]
    return marked, notes


def unused_config_accepts(accepts: Sequence[ConfigAccept], reports: Sequence[AuditReport]) -> list[ConfigAccept]:
    """The configuration's entries that match no finding in any of these reports."""
    return [accept for accept in accepts
            if not any(accept.matches(report.document.path, finding)
                       for report in reports for finding in report.findings)]
