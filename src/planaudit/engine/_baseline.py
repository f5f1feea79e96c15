"""A finding's identity across two runs, and ``--baseline``: only what is new since a saved run.

A finding is the same finding when it is in the same document (by file *name*, so a moved
file still matches), from the same rule, in the same section (headings without their
chapter numbers, so "4.2 Tiltak" renumbered to "5.2 Tiltak" still matches) and about the
same words (the quoted evidence, normalised). Page and line numbers never count: moving a
paragraph to another page changes nothing. SARIF's ``partialFingerprints`` hash the same
parts, so a code-scanning dashboard and ``--baseline`` agree on what is new.

The baseline is a report saved with ``planaudit check --format json``: one object, or a list
of them for several documents. Filtering spans two runs, so it is applied to a finished
report (``apply_baseline``) and never inside ``audit()``.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import AuditReport, BaselineSummary, Finding, FindingLocation

__all__ = [
    "Baseline",
    "FindingKey",
    "apply_baseline",
    "file_name",
    "finding_fingerprint",
    "finding_key",
    "load_baseline",
    "logical_section",
    "normalise",
]

#: "4.2 ", "4.2. ", "12 " before a heading's title: the chapter number renumbering changes.
_CHAPTER_NUMBER = re.compile(r"^\s*\d{1,3}(?:\.\d{1,3})*\.?\s+(?=\S)")
_SEPARATOR = " > "

#: A finding's identity: document file name, rule, logical section, hash of the evidence.
FindingKey = tuple[str, str, str, str]


def normalise(text: str | None) -> str:
    """Text as compared across runs: NFKC, case folded, runs of whitespace one space."""
    return " ".join(unicodedata.normalize("NFKC", text or "").casefold().split())


def file_name(path: str) -> str:
    """The file name of a path written with / or \\ (a report may come from Windows)."""
    return path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def logical_section(section: str | None) -> str:
    """The section path without chapter numbers, normalised: "4 Mål > 4.2 Tiltak" → "mål > tiltak"."""
    if not section:
        return ""
    return _SEPARATOR.join(normalise(_CHAPTER_NUMBER.sub("", part)) for part in section.split(_SEPARATOR))


def _evidence_hash(evidence: str | None) -> str:
    return hashlib.sha256(normalise(evidence).encode("utf-8")).hexdigest()[:32]


def finding_key(document_path: str, finding: Finding) -> FindingKey:
    """What makes two findings of two runs the same finding; never a page or line number."""
    return (file_name(document_path), finding.rule, logical_section(finding.location.section),
            _evidence_hash(finding.evidence))


def finding_fingerprint(finding: Finding) -> str:
    """sha256 of the key's rule, logical section and evidence: the document is the SARIF
    result's artifact, so it is left out here."""
    _, rule, section, evidence = finding_key("", finding)
    return hashlib.sha256("\x1f".join((rule, section, evidence)).encode("utf-8")).hexdigest()


# --- the saved run ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    """The findings of a saved run, by document path, as keys."""

    path: str
    documents: dict[str, list[FindingKey]] = field(default_factory=dict)

    def keys_for(self, document_path: str) -> list[FindingKey] | None:
        """The saved keys of this document: the report with the same path, else those with
        the same file name; None when the baseline has no report for it."""
        if document_path in self.documents:
            return self.documents[document_path]
        name = file_name(document_path)
        same_name = [keys for path, keys in sorted(self.documents.items()) if file_name(path) == name]
        return [key for keys in same_name for key in keys] if same_name else None


def load_baseline(path: Path, max_bytes: int) -> Baseline:
    """Read a JSON report saved earlier; anything else is a one-line error naming the file."""
    name = str(path)
    try:
        if not path.is_file():
            raise InputError(name, "grunnlinjen finnes ikke (lag den med «planaudit check FIL --format json -o FIL»)",
                             "the baseline does not exist (make one with 'planaudit check FILE --format json -o FILE')")
        if path.stat().st_size > max_bytes:
            raise InputError(name, "grunnlinjen er for stor", "the baseline is too large")
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        cause = getattr(err, "strerror", None) or type(err).__name__
        raise InputError(name, f"grunnlinjen kan ikke leses ({cause})",
                         f"the baseline cannot be read ({cause})") from None
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as err:
        where = f"linje {err.lineno}" if isinstance(err, json.JSONDecodeError) else "for dypt nøstet"
        where_en = f"line {err.lineno}" if isinstance(err, json.JSONDecodeError) else "nested too deeply"
        raise InputError(name, f"grunnlinjen er ikke gyldig JSON ({where})",
                         f"the baseline is not valid JSON ({where_en})") from None
    documents = _documents(data)
    if documents is None:
        raise InputError(name, "er ikke en JSON-rapport fra planaudit "
                         "(lag en med «planaudit check FIL --format json»)",
                         "is not a planaudit JSON report (make one with 'planaudit check FILE --format json')")
    return Baseline(name, documents)


def _documents(data: Any) -> dict[str, list[FindingKey]] | None:
    """The keys of each report in the data, or None when it is not planaudit's JSON report."""
    reports = data if isinstance(data, list) else [data]
    documents: dict[str, list[FindingKey]] = {}
    for report in reports:
        if not (isinstance(report, dict) and "planaudit_version" in report and isinstance(report.get("findings"), list)
                and isinstance(report.get("document"), dict) and isinstance(report["document"].get("path"), str)):
            return None
        path = report["document"]["path"]
        keys = documents.setdefault(path, [])
        for item in report["findings"]:
            finding = _finding(item)
            if finding is None:
                return None
            keys.append(finding_key(path, finding))
    return documents


def _finding(item: Any) -> Finding | None:
    """The parts of a saved finding its key needs (older and newer reports alike)."""
    if not isinstance(item, dict) or not isinstance(item.get("rule"), str):
        return None
    location = item.get("location")
    section = location.get("section") if isinstance(location, dict) else None
    evidence = item.get("evidence")
    return Finding(rule=item["rule"], criterion=str(item.get("criterion", "")), severity="info", message="",
                   location=FindingLocation(section=section if isinstance(section, str) else None),
                   evidence=evidence if isinstance(evidence, str) else None)


def apply_baseline(report: AuditReport, baseline: Baseline) -> AuditReport:
    """The report without the findings the baseline already has, and what was left out.

    Findings are matched one to one: two identical findings where the baseline had one
    leave one of them in the report.
    """
    saved = baseline.keys_for(report.document.path)
    remaining = Counter(saved or ())
    kept: list[Finding] = []
    for finding in report.findings:
        key = finding_key(report.document.path, finding)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            kept.append(finding)
    summary = BaselineSummary(in_baseline=saved is not None, unchanged=len(report.findings) - len(kept),
                              fixed=sum(remaining.values()))
    return report.model_copy(update={"findings": kept, "baseline": summary})
