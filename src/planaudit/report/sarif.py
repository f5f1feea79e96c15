"""The ``sarif`` format: SARIF 2.1.0, for code-scanning dashboards and review tools.

One run for all documents. ``tool.driver.rules`` describes every loaded rule (and any rule
a finding names that the context did not list); each finding is a result pointing at its
document (an artifact), its section (a logical location) and, when known, its line. SARIF
has no pages, so the page goes in ``region.properties.page``. A result's
``partialFingerprints["planaudit/v2"]`` hashes rule, section (without chapter numbers) and
the quoted text, normalised as ``--baseline`` compares findings, never line or page
numbers, so a finding keeps its identity when the plan is edited elsewhere or its chapters
are renumbered (v1 also hashed the criterion and the numbered section). An accepted finding
has ``suppressions``: ``inSource`` for a marker in the document, ``external`` for an
``[[accept]]`` entry, with the reason as ``justification``. Notifications are
``invocations[0].toolExecutionNotifications``; the run is unsuccessful when any of them is
an error.
"""
from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from ..engine import ReportContext, RuleInfo, finding_fingerprint
from ..model import AuditReport, Finding, Notification
from ._common import dump_json, section_parts

__all__ = ["FINGERPRINT_KEY", "SCHEMA_URI", "SarifReporter", "fingerprint", "sarif_log"]

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "planaudit/v2"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}

Json = dict[str, Any]


def fingerprint(finding: Finding) -> str:
    """sha256 of rule, logical section and evidence, normalised as the baseline key is
    (``engine.finding_key``); no line or page."""
    return finding_fingerprint(finding)


def _uri(path: str) -> str:
    """The document path as a URI reference: relative paths stay relative."""
    for flavour in (PurePosixPath, PureWindowsPath):
        if flavour(path).is_absolute():
            return flavour(path).as_uri()
    return quote(path.replace("\\", "/"), safe="/")


def _text(text: str, fallback: str) -> Json:
    return {"text": text or fallback}


def _help(rule: RuleInfo, context: ReportContext) -> str:
    parts = [
        rule.rationale or rule.summary,
        f"{context.t('Svakt', 'Weak')}: {rule.bad_example}" if rule.bad_example else "",
        f"{context.t('Godt', 'Good')}: {rule.good_example}" if rule.good_example else "",
        f"{context.t('Kilde', 'Source')}: {rule.citation}" if rule.citation else "",
    ]
    return "\n\n".join(part for part in parts if part)


def _descriptor(rule: RuleInfo, context: ReportContext) -> Json:
    return {
        "id": rule.id,
        "name": rule.name or rule.id,
        "shortDescription": _text(rule.summary, rule.name or rule.id),
        "fullDescription": _text(rule.rationale, rule.summary or rule.name or rule.id),
        "help": _text(_help(rule, context), rule.name or rule.id),
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "properties": {"criterion": rule.criterion, "weight": rule.weight, "citation": rule.citation},
    }


def _unlisted_rule(finding: Finding) -> RuleInfo:
    """A bare record for a rule a finding names but the context does not list."""
    return RuleInfo(id=finding.rule, name=finding.rule, criterion=finding.criterion,
                    severity=finding.severity, weight=1.0, citation="", summary="", rationale="",
                    bad_example="", good_example="", plugin="")


def _rules(reports: list[AuditReport], context: ReportContext) -> list[RuleInfo]:
    rules = {rule.id: rule for rule in context.rules}
    for finding in (finding for report in reports for finding in report.findings):
        rules.setdefault(finding.rule, _unlisted_rule(finding))
    return [rules[rid] for rid in sorted(rules)]


def _artifact(report: AuditReport) -> Json:
    return {"location": {"uri": _uri(report.document.path)},
            "hashes": {"sha-256": report.document.sha256}}


def _region(finding: Finding) -> Json | None:
    region: Json = {}
    if finding.location.line is not None:
        region["startLine"] = finding.location.line
    if finding.location.page is not None:
        region["properties"] = {"page": finding.location.page} | ({"ocr": True} if finding.location.ocr else {})
    return region or None


def _artifact_location(artifacts: list[Json], index: int) -> Json:
    return {"uri": artifacts[index]["location"]["uri"], "index": index}


def _location(finding: Finding, artifact_location: Json) -> Json:
    physical: Json = {"artifactLocation": artifact_location}
    region = _region(finding)
    if region:
        physical["region"] = region
    location: Json = {"physicalLocation": physical}
    if finding.location.section:
        location["logicalLocations"] = [{"name": section_parts(finding.location.section)[-1],
                                         "kind": "section",
                                         "fullyQualifiedName": finding.location.section}]
    return location


def _message(finding: Finding, context: ReportContext) -> str:
    if not finding.suggestion:
        return finding.message
    return f"{finding.message} {context.t('Forslag', 'Suggestion')}: {finding.suggestion}"


def _result(finding: Finding, rule_index: dict[str, int], artifact_location: Json,
            context: ReportContext) -> Json:
    result: Json = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index[finding.rule],
        "level": _LEVELS[finding.severity],
        "message": {"text": _message(finding, context)},
        "locations": [_location(finding, artifact_location)],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(finding)},
        "properties": {"criterion": finding.criterion},
    }
    if finding.evidence:
        result["properties"]["evidence"] = finding.evidence
    if finding.suppression is not None:
        suppression: Json = {"kind": "inSource" if finding.suppression.kind == "inline" else "external",
                             "status": "accepted", "justification": finding.suppression.reason}
        if finding.suppression.source:
            suppression["properties"] = {"source": finding.suppression.source}
        result["suppressions"] = [suppression]
    return result


def _notification(note: Notification, rule_index: dict[str, int], artifact_location: Json) -> Json:
    entry: Json = {
        "level": _LEVELS[note.level],
        "message": {"text": note.message},
        "locations": [{"physicalLocation": {"artifactLocation": artifact_location}}],
    }
    if note.rule:
        entry["associatedRule"] = {"id": note.rule, **({"index": rule_index[note.rule]}
                                                       if note.rule in rule_index else {})}
    return entry


def _artifacts(reports: list[AuditReport]) -> tuple[list[Json], list[int]]:
    """The distinct documents, and for each report the index of its artifact."""
    artifacts: list[Json] = []
    by_uri: dict[str, int] = {}
    indexes = []
    for report in reports:
        artifact = _artifact(report)
        uri = artifact["location"]["uri"]
        if uri not in by_uri:
            by_uri[uri] = len(artifacts)
            artifacts.append(artifact)
        indexes.append(by_uri[uri])
    return artifacts, indexes


def _driver(rules: list[RuleInfo], context: ReportContext) -> Json:
    driver: Json = {"name": "planaudit", "rules": [_descriptor(rule, context) for rule in rules]}
    if context.tool_version:
        driver["version"] = context.tool_version
    return driver


def sarif_log(reports: list[AuditReport], context: ReportContext) -> Json:
    """The SARIF log of these reports, as JSON-ready data."""
    rules = _rules(reports, context)
    rule_index = {rule.id: position for position, rule in enumerate(rules)}
    artifacts, indexes = _artifacts(reports)
    results = [_result(finding, rule_index, _artifact_location(artifacts, index), context)
               for report, index in zip(reports, indexes) for finding in report.findings]
    notes = [_notification(note, rule_index, _artifact_location(artifacts, index))
             for report, index in zip(reports, indexes) for note in report.notifications]
    invocation = {"executionSuccessful": not any(note.level == "error" for report in reports
                                                 for note in report.notifications),
                  "toolExecutionNotifications": notes}
    run = {"tool": {"driver": _driver(rules, context)}, "artifacts": artifacts, "results": results,
           "invocations": [invocation], "language": context.t("nb-NO", "en-US")}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


class SarifReporter:
    name = "sarif"
    extension = ".sarif"

    def render(self, reports: list[AuditReport], context: ReportContext) -> str:
        return dump_json(sarif_log(reports, context))
