"""Accepting a finding with a reason: ``planaudit-godta`` markers in the plan's comments and
``[[accept]]`` entries in the configuration, as a municipality and its adviser see them.

The plan is invented: Lynghaug's four measures have no cost, so PA004 finds each of them,
two under "3.1 Boliger" and two under "3.2 Oppfølging". The same plan is written as Markdown,
HTML, Word and OpenDocument, with the author's comments where a test puts them.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import jsonschema
import pytest
from _office import docx_plan, odt_plan
from _cli import one_line_error
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st
from test_reporters import SARIF_SUBSET

import planaudit
from planaudit.cli import cli
from planaudit.engine import ConfigAccept, parse_markers

pytestmark = pytest.mark.usefixtures("isolated_cwd")

TITLE = "Boligsosial handlingsplan for Lynghaug 2026–2029"
BUY = "Kjøpe fire utleieboliger i sentrum innen 2027. Ansvar: Eiendomsavdelingen."
BUILD = "Bygge seks omsorgsboliger innen 2028. Ansvar: Eiendomsavdelingen."
TEAM = "Opprette et bo-oppfølgingsteam innen 2026. Ansvar: Helse og omsorg."
LOANS = "Gi råd om startlån til barnefamilier innen 2026. Ansvar: NAV Lynghaug."
REASON = "Kostnadene vedtas i budsjettet for 2027"

Row = tuple[str, str, str | None]


def plan_rows(comments: dict[str, str] | None = None) -> list[Row]:
    """The plan as (kind, text, comment) rows; ``comments`` puts a comment on the row with
    that text ("" for a comment before the title)."""
    comments = comments or {}
    rows: list[tuple[str, str]] = [
        ("title", TITLE),
        ("p", "Vedtatt i kommunestyret 4. mars 2026, sak 12/26."),
        ("h1", "1 Innledning"),
        ("p", "Lynghaug kommune har 140 kommunale utleieboliger og 35 husstander på venteliste."),
        ("h1", "2 Mål"),
        ("li", "Flere skal bo godt i egen bolig."),
        ("li", "Ventetiden på kommunal bolig skal ned."),
        ("h1", "3 Tiltak"),
        ("h2", "3.1 Boliger"), ("li", BUY), ("li", BUILD),
        ("h2", "3.2 Oppfølging"), ("li", TEAM), ("li", LOANS),
        ("h1", "4 Oppfølging av planen"),
        ("p", "Planen rulleres årlig og rapporteres til kommunestyret."),
    ]
    front = [("p", "Utkast", comments[""])] if "" in comments else []
    return front + [(kind, text, comments.get(text)) for kind, text in rows]


def markdown(rows: list[Row]) -> str:
    marks = {"title": "# ", "h1": "## ", "h2": "### ", "li": "- ", "p": ""}
    lines = []
    for kind, text, comment in rows:
        lines += [marks[kind] + text, f"<!-- {comment} -->" if comment else "", ""]
    return "\n".join(lines)


def html(rows: list[Row]) -> str:
    tags = {"title": "h1", "h1": "h2", "h2": "h3", "li": "li", "p": "p"}
    body = []
    for kind, text, comment in rows:
        element = f"<{tags[kind]}>{text}</{tags[kind]}>"
        body.append(f"<ul>{element}</ul>" if kind == "li" else element)
        if comment:
            body.append(f"<!-- {comment} -->")
    return f"<!DOCTYPE html><html lang=\"nb\"><head><title>{TITLE}</title></head><body><main>" \
           + "\n".join(body) + "</main></body></html>"


def write_plan(folder: Path, fmt: str, rows: list[Row], name: str = "lynghaug") -> Path:
    path = folder / f"{name}.{fmt}"
    if fmt == "md":
        path.write_text(markdown(rows), encoding="utf-8")
    elif fmt == "html":
        path.write_text(html(rows), encoding="utf-8")
    else:
        path.write_bytes(docx_plan(rows) if fmt == "docx" else odt_plan(rows))
    return path


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def report(*args: str | Path) -> dict:
    result = run("check", *args, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def pa004(data: dict) -> dict[str, dict | None]:
    """Each PA004 measure finding's evidence and its suppression."""
    return {finding["evidence"]: finding["suppression"] for finding in data["findings"]
            if finding["rule"] == "PA004" and finding["evidence"]}


# --- markers in the document --------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "odt"])
def test_marker_accepts_the_findings_of_its_section_only(fmt: str, tmp_path: Path) -> None:
    plain = report(write_plan(tmp_path, fmt, plan_rows(), "uten"))
    marked = report(write_plan(tmp_path, fmt, plan_rows({"3.1 Boliger": f"planaudit-godta PA004: {REASON}"})))
    assert set(pa004(plain)) == set(pa004(marked)) == {BUY, BUILD, TEAM, LOANS}
    accepted = {evidence for evidence, suppression in pa004(marked).items() if suppression}
    assert accepted == {BUY, BUILD}
    suppression = pa004(marked)[BUY]
    assert suppression["kind"] == "inline" and suppression["reason"] == REASON
    # accepting records a decision: levels and score are the rules' own
    assert marked["criteria"] == plain["criteria"] and marked["score"] == plain["score"]
    assert [f for f in marked["findings"] if f["rule"] != "PA004"] == \
        [f for f in plain["findings"] if f["rule"] != "PA004"]


def test_marker_source_names_page_in_word_and_line_in_markdown(tmp_path: Path) -> None:
    rows = plan_rows({"3.1 Boliger": f"planaudit-godta PA004: {REASON}"})
    rows.insert(rows.index(("h1", "3 Tiltak", None)), ("break", "", None))
    docx = pa004(report(write_plan(tmp_path, "docx", rows)))[BUY]
    md = pa004(report(write_plan(tmp_path, "md", plan_rows({"3.1 Boliger": f"planaudit-godta PA004: {REASON}"}))))[BUY]
    assert docx["source"] == "side 2"
    assert md["source"] == "linje 26"


def test_marker_before_the_first_heading_accepts_in_the_whole_document(tmp_path: Path) -> None:
    path = write_plan(tmp_path, "md", plan_rows({"": f"planaudit-godta PA004: {REASON}"}))
    assert all(pa004(report(path, "--select", "PA004")).values())
    # the only warnings are accepted ones: --fail-on warning passes; without the marker it does not
    assert run("check", path, "--select", "PA004", "--fail-on", "warning").exit_code == 0
    assert run("check", write_plan(tmp_path, "md", plan_rows(), "uten"), "--select", "PA004",
               "--fail-on", "warning").exit_code == 1


def test_marker_with_a_quote_accepts_only_findings_quoting_it(tmp_path: Path) -> None:
    marker = f"planaudit-godta PA004 «seks  OMSORGSBOLIGER»: {REASON}"
    accepted = pa004(report(write_plan(tmp_path, "md", plan_rows({"3 Tiltak": marker}))))
    assert {evidence for evidence, suppression in accepted.items() if suppression} == {BUILD}
    marker = f'planaudit-accept PA004 "startlån": {REASON}'
    accepted = pa004(report(write_plan(tmp_path, "md", plan_rows({"3 Tiltak": marker}))))
    assert {evidence for evidence, suppression in accepted.items() if suppression} == {LOANS}


def test_marker_names_several_rules_or_a_criterion_in_english_too(tmp_path: Path) -> None:
    path = write_plan(tmp_path, "md", plan_rows({"": f"planaudit-accept costs, pa001: {REASON}"}))
    data = report(path)
    accepted = {finding["rule"] for finding in data["findings"] if finding["suppression"]}
    assert accepted == {"PA004", "PA001"}


@pytest.mark.parametrize("marker, nb, en", [
    ("planaudit-godta PA004", "planaudit-godta PA004 på linje 26 mangler begrunnelse etter kolon",
     "planaudit-accept PA004 on line 26 has no reason after a colon"),
    ("planaudit-godta PA004:   ", "planaudit-godta PA004 på linje 26 mangler begrunnelse",
     "planaudit-accept PA004 on line 26 has no reason"),
    (f"planaudit-godta PA004,PA999: {REASON}",
     "planaudit-godta PA004,PA999 på linje 26 nevner ukjent regel eller kriterium 'PA999' og godtar ingen funn",
     "planaudit-accept PA004,PA999 on line 26 names unknown rule or criterion 'PA999' and accepts no findings"),
    (f"planaudit-godta: {REASON}", "planaudit-godta på linje 26 nevner ingen regel",
     "planaudit-accept on line 26 names no rule"),
])
def test_broken_marker_accepts_nothing_and_warns_where_it_is(marker: str, nb: str, en: str, tmp_path: Path) -> None:
    path = write_plan(tmp_path, "md", plan_rows({"3.1 Boliger": marker}))
    for lang, expected in (("nb", nb), ("en", en)):
        data = report(path, "--lang", lang)
        assert not any(pa004(data).values())
        warnings = [note["message"] for note in data["notifications"] if note["level"] == "warning"]
        assert any(message.startswith(expected) for message in warnings), warnings


def test_broken_marker_in_word_names_its_page(tmp_path: Path) -> None:
    rows = plan_rows({"3.1 Boliger": "planaudit-godta PA004"})
    rows.insert(rows.index(("h1", "3 Tiltak", None)), ("break", "", None))
    notes = [note["message"] for note in report(write_plan(tmp_path, "docx", rows))["notifications"]]
    assert "planaudit-godta PA004 på side 2 mangler begrunnelse etter kolon og godtar ingen funn" in notes


def test_audit_function_applies_markers_and_config_accepts(tmp_path: Path) -> None:
    path = write_plan(tmp_path, "md", plan_rows({"3.1 Boliger": f"planaudit-godta PA004: {REASON}"}))
    entry = ConfigAccept(number=1, rule="PA004", reason="Avklares i økonomiplanen", file="planaudit.toml",
                         quote="startlån")
    result = planaudit.audit(path, accepts=[entry])
    kinds = {finding.evidence: finding.suppression.kind for finding in result.findings
             if finding.rule == "PA004" and finding.suppression}
    assert kinds == {BUY: "inline", BUILD: "inline", LOANS: "config"}


# --- accepts in the configuration -----------------------------------------------------------


def test_config_accept_accepts_every_finding_of_the_rule(tmp_path: Path) -> None:
    (tmp_path / "planaudit.toml").write_text(
        '[[accept]]\nrule = "PA004"\nreason = "Kostnader avklares i økonomiplanen"\n', encoding="utf-8")
    data = report(write_plan(tmp_path, "md", plan_rows()))
    suppressions = list(pa004(data).values())
    assert len(suppressions) == 4 and all(suppressions)
    assert suppressions[0] == {"kind": "config", "reason": "Kostnader avklares i økonomiplanen",
                               "source": "planaudit.toml (accept nr. 1)"}


@pytest.mark.parametrize("filters, accepted", [
    ('document = "lynghaug*.md"', {BUY, BUILD, TEAM, LOANS}),
    ('document = "LYNGHAUG.MD"', {BUY, BUILD, TEAM, LOANS}),
    ('document = "boligplan*.pdf"', set()),
    ('section = "3.2  oppfølging"', {TEAM, LOANS}),
    ('section = "Oppfølging"\nquote = "startlån til barnefamilier"', {LOANS}),
    ('quote = "Kjøpe fire utleieboliger"', {BUY}),
])
def test_config_accept_filters_by_document_section_and_quote(filters: str, accepted: set[str],
                                                             tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.planaudit]\nlang = "nb"\n\n[[tool.planaudit.accept]]\nrule = "costs"\nreason = "Avklart"\n{filters}\n',
        encoding="utf-8")
    data = report(write_plan(tmp_path, "md", plan_rows()))
    assert {evidence for evidence, suppression in pa004(data).items() if suppression} == accepted


def test_marker_in_the_document_goes_before_the_config(tmp_path: Path) -> None:
    (tmp_path / "planaudit.toml").write_text('[[accept]]\nrule = "PA004"\nreason = "Fra konfigurasjonen"\n',
                                             encoding="utf-8")
    data = report(write_plan(tmp_path, "md", plan_rows({"3.1 Boliger": f"planaudit-godta PA004: {REASON}"})))
    kinds = {evidence: suppression["kind"] for evidence, suppression in pa004(data).items()}
    assert kinds == {BUY: "inline", BUILD: "inline", TEAM: "config", LOANS: "config"}


@pytest.mark.parametrize("entries, message", [
    ('[[accept]]\nrule = "PA004"\nreason = "Avklart"\n\n[[accept]]\nrule = "PA003"\n',
     "accept nr. 2: reason mangler"),
    ('[[accept]]\nrule = "PA004"\nreason = "  "\n', "accept nr. 1: reason må være en tekst som ikke er tom"),
    ('[[accept]]\nrule = "PA004"\nreason = 5\n', "accept nr. 1: reason må være en tekst som ikke er tom"),
    ('[[accept]]\nregel = "PA004"\nreason = "Avklart"\n', "accept nr. 1: ukjent nøkkel 'regel'"),
    ('[[accept]]\nreason = "Avklart"\n', "accept nr. 1: rule mangler"),
    ('accept = "PA004"\n', "accept må være en liste av tabeller ([[accept]])"),
    ('[[accept]]\nrule = "PA999"\nreason = "Avklart"\n', "accept nr. 1: ukjent regel eller kriterium 'PA999'"),
])
def test_wrong_accept_entry_is_one_line_naming_file_and_entry(entries: str, message: str, tmp_path: Path) -> None:
    config = tmp_path / "planaudit.toml"
    config.write_text(entries, encoding="utf-8")
    line = one_line_error(run("check", write_plan(tmp_path, "md", plan_rows())))
    assert line.startswith(f"planaudit: {config}: ") and message in line, line


# --- what the formats show ------------------------------------------------------------------


@pytest.fixture
def accepted_plan(tmp_path: Path) -> Path:
    """Two findings accepted by a marker, the other two by the configuration (quote filters)."""
    (tmp_path / "planaudit.toml").write_text(
        '[[accept]]\nrule = "PA004"\nreason = "Avklares i økonomiplanen"\nsection = "Oppfølging"\n', encoding="utf-8")
    return write_plan(tmp_path, "md", plan_rows({"3.1 Boliger": f"planaudit-godta PA004: {REASON}"}))


#: SARIF 2.1.0's suppression object (§3.35), as the schema defines it.
SUPPRESSIONS = {"type": "array", "minItems": 1, "uniqueItems": True, "items": {
    "type": "object", "required": ["kind"], "additionalProperties": False,
    "properties": {"guid": {"type": "string"}, "kind": {"enum": ["inSource", "external"]},
                   "status": {"enum": ["accepted", "underReview", "rejected"]},
                   "justification": {"type": "string"}, "location": {"type": "object"},
                   "properties": {"type": "object"}}}}


def test_sarif_marks_accepted_results_with_suppressions(accepted_plan: Path) -> None:
    log = json.loads(run("check", accepted_plan, "--format", "sarif", "--select", "PA004").stdout)
    jsonschema.validate(log, SARIF_SUBSET, cls=jsonschema.Draft7Validator)
    for result in log["runs"][0]["results"]:
        if "suppressions" in result:
            jsonschema.validate(result["suppressions"], SUPPRESSIONS, cls=jsonschema.Draft7Validator)
    results = {result["properties"].get("evidence"): result for result in log["runs"][0]["results"]}
    assert results[BUY]["suppressions"] == [{"kind": "inSource", "status": "accepted", "justification": REASON,
                                             "properties": {"source": "linje 26"}}]
    assert results[TEAM]["suppressions"][0]["kind"] == "external"
    assert results[TEAM]["suppressions"][0]["justification"] == "Avklares i økonomiplanen"
    open_results = [result for result in log["runs"][0]["results"] if "suppressions" not in result]
    assert [result["ruleId"] for result in open_results] == ["PA004"]  # "no costs anywhere", unlocated


def test_table_and_markdown_list_accepted_findings_apart_with_their_reason(accepted_plan: Path) -> None:
    table = run("check", accepted_plan, "--select", "PA004").stdout
    findings, accepted = table.split("Godtatte funn (4):")
    assert "Funn (1):" in findings and "utleieboliger" not in findings
    assert f"Begrunnelse: {REASON} (linje 26)" in accepted
    assert "Begrunnelse: Avklares i økonomiplanen (planaudit.toml (accept nr. 1))" in accepted
    markdown_text = run("check", accepted_plan, "--select", "PA004", "--format", "markdown", "--lang", "en").stdout
    assert "### Findings (1)" in markdown_text and "### Accepted findings (4)" in markdown_text
    assert f"Reason: {REASON} (linje 26)" not in markdown_text  # sources follow the language
    assert f"Reason: {REASON} (line 26)" in markdown_text


def test_csv_has_the_reason_in_the_suppressed_column(accepted_plan: Path) -> None:
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(run("check", accepted_plan, "--format", "csv").stdout)))
    by_evidence = {row["evidence"]: row["suppressed"] for row in rows if row["rule"] == "PA004"}
    assert by_evidence[BUY] == REASON and by_evidence[LOANS] == "Avklares i økonomiplanen"
    assert all(row["suppressed"] == "" for row in rows if row["rule"] == "PA001")


def test_checking_leaves_the_plan_file_untouched(accepted_plan: Path) -> None:
    before = hashlib.sha256(accepted_plan.read_bytes()).hexdigest()
    stamp = accepted_plan.stat().st_mtime_ns
    for fmt in ("table", "json", "sarif"):
        run("check", accepted_plan, "--format", fmt, "--warn-unused-accepts")
    assert hashlib.sha256(accepted_plan.read_bytes()).hexdigest() == before
    assert accepted_plan.stat().st_mtime_ns == stamp


# --- accepts that match nothing --------------------------------------------------------------


def test_warn_unused_accepts_names_each_accept_that_matched_nothing(tmp_path: Path) -> None:
    (tmp_path / "planaudit.toml").write_text(
        '[[accept]]\nrule = "PA004"\nreason = "Avklart"\ndocument = "annen-plan.md"\n\n'
        '[[accept]]\nrule = "PA004"\nreason = "Avklart"\nquote = "startlån"\n', encoding="utf-8")
    path = write_plan(tmp_path, "md", plan_rows({"2 Mål": f"planaudit-godta PA004: {REASON}",
                                                 "3.1 Boliger": f"planaudit-godta PA004: {REASON}"}))
    quiet = run("check", path, "--fail-on", "error")
    loud = run("check", path, "--fail-on", "error", "--warn-unused-accepts")
    assert loud.exit_code == quiet.exit_code == 1  # the exit code is the findings' alone
    assert quiet.stderr == ""
    assert loud.stderr.splitlines() == [
        f"planaudit: {path}: planaudit-godta PA004 på linje 14 traff ingen funn",
        "planaudit: godkjenning i planaudit.toml (accept nr. 1, PA004) traff ingen funn",
    ]
    notes = [note["message"] for note in report(path, "--warn-unused-accepts")["notifications"]]
    assert "planaudit-godta PA004 på linje 14 traff ingen funn" in notes
    assert not any("traff ingen funn" in note["message"] for note in report(path)["notifications"])
    english = run("check", path, "--warn-unused-accepts", "--lang", "en").stderr.splitlines()
    assert english[-1] == "planaudit: accept in planaudit.toml (accept #1, PA004) matched no finding"


# --- the marker parser ------------------------------------------------------------------------


def test_parser_reads_ids_quote_and_reason_across_lines() -> None:
    [marker] = parse_markers("Merknad: planaudit-godta PA002 , costs «Tiltak 3.1»:\n  Vedtatt\n  i juni ")
    assert marker.ids == ("PA002", "costs") and marker.quote == "Tiltak 3.1"
    assert marker.reason == "Vedtatt i juni" and marker.problem is None
    first, second = parse_markers("planaudit-godta PA004: a\nplanaudit-accept PA003 “x”: b")
    assert (first.ids, first.reason, second.ids, second.quote, second.reason) == (("PA004",), "a", ("PA003",), "x", "b")
    assert parse_markers("Kostnadene vedtas i budsjettet.") == []
    assert parse_markers("planaudit-godta PA004 Kostnadene vedtas")[0].problem == "no_reason"


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from(["", "planaudit-godta", "planaudit-accept ", "PLANAUDIT-GODTA PA004",
                                   "planaudit-godta PA004 «", 'planaudit-accept a,b "']))
def test_parser_never_crashes_on_any_comment(text: str, prefix: str) -> None:
    comment = prefix + text
    markers = parse_markers(comment)
    assert len(markers) == len(re.findall(r"planaudit-(?:godta|accept)\b", comment, re.IGNORECASE))
    for marker in markers:
        assert (marker.problem is None) == bool(marker.reason and marker.ids)
        assert all(name and "," not in name for name in marker.ids)


def test_summary_over_several_documents_counts_accepted_findings_apart(accepted_plan: Path, tmp_path: Path) -> None:
    """Lynghaug: 4 of 5 accepted; Fjordby: the configuration's 2 under "3.2 Oppfølging"; each
    keeps its unlocated "no costs at all" error open."""
    other = write_plan(tmp_path, "md", plan_rows(), "fjordby")
    summary = " ".join(run("check", accepted_plan, other, "--select", "PA004").stdout.split("\n\n")[-1].split())
    assert "4 funn (2 feil, 2 advarsler, 0 info); 6 godtatt; 0 merknader" in summary, summary


# --- comments as Word and LibreOffice write them ------------------------------------------------

COMMENTED = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "commented"


@pytest.mark.parametrize("name", ["lynghaug.docx", "lynghaug.libreoffice.odt", "lynghaug.libreoffice.docx",
                                  "lynghaug.libreoffice.pdf"])
def test_marker_in_a_producer_made_file_accepts_its_section(name: str) -> None:
    """fixtures/commented.py: a Word comment on "3.1 Boliger", saved again by LibreOffice as
    ODT, DOCX and PDF (its notes exported as PDF annotations)."""
    path = COMMENTED / name
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    data = report(path, "--select", "PA004")
    accepted = {evidence for evidence, suppression in pa004(data).items() if suppression}
    assert accepted == {BUY, BUILD}, pa004(data)
    assert {s["source"] for s in pa004(data).values() if s} == {"side 2"}
    assert not data["notifications"]  # the ordinary comment on the introduction is no marker
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_marker_notices_carry_a_code_for_tools(tmp_path: Path) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text("# Plan\n<!-- planaudit-godta PA004 -->\n## Tiltak\n- Bygge boliger.\n", encoding="utf-8")
    notes = planaudit.audit(plan).notifications
    assert [note.code for note in notes if note.code] == ["accept.no_reason"]
