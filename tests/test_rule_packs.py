"""Declarative rule packs: each check type on small plans, errors a pack author reads
(``file:line: message``, exit 2), the shipped schema, user packs and plugin check types."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from planaudit.cli import cli
from planaudit.engine import default_registry, hookimpl, load_registry
from planaudit.engine.checks import CheckContext, Outcome
from planaudit.errors import ConfigError
from planaudit.extract import TermError, Terms, has_figure
from planaudit.model import AuditReport
from planaudit.model.schemas import shipped_dir
from planaudit.testing import audit_text

pytestmark = pytest.mark.usefixtures("isolated_cwd")

REPO = Path(__file__).resolve().parent.parent

PLAN = textwrap.dedent("""\
    # Boligsosial handlingsplan 2025–2028
    <!-- side 1 -->
    ## Innhold
    Kunnskapsgrunnlag
    Tiltak
    ## Kunnskapsgrunnlag
    Kartleggingen viste at 40 husstander er vanskeligstilte. Vi tilbyr startlån og bostøtte.
    <!-- side 2 -->
    ## Tiltak
    | Nr | Tiltak | Ansvarlig | Frist |
    |---|---|---|---|
    | 1 | Kjøpe fire utleieboliger ved behov | Eiendomsavdelingen | 2026 |
    | 2 | Etablere boligsosialt team | Kommunen | løpende |
    | 3 | Tilby veiledning om startlån | NAV | 2025 |
    Tiltakene innarbeides i økonomiplanen hvert år. Ved behov vurderes flere boliger.
    """)


def pack(rules: list[dict[str, Any]], criteria: list[dict[str, Any]] | None = None,
         prefix: str = "TST") -> dict[str, Any]:
    return {"pack": "test-pack", "version": "1", "prefix": prefix,
            "criteria": criteria if criteria is not None else [{"id": "test_criterion", "title": {"nb": "Test"}}],
            "rules": rules}


def rule(check: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    spec = {"id": "TST001", "name": "test.rule", "criterion": "test_criterion", "title": {"nb": "Testregel"},
            "citation": "Testkilde", "message": {"nb": "Fant {value}.", "en": "Found {value}."}, "check": check}
    return {**spec, **overrides}


def write(tmp_path: Path, data: dict[str, Any] | str, name: str = "pack.yaml") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


def audit_with(tmp_path: Path, check: dict[str, Any], text: str = PLAN, **overrides: Any) -> AuditReport:
    path = write(tmp_path, pack([rule(check, **overrides)]))
    return audit_text(text, rule="TST001", rule_packs=[path])


def level(report: AuditReport) -> int | None:
    score = report.criteria.get("test_criterion")
    return score.level if score else None


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args])


# --- check types -------------------------------------------------------------------------

@pytest.mark.parametrize(("check", "expected"), [
    ({"type": "exists", "terms": ["startlån"]}, 2),
    ({"type": "exists", "terms": ["husbanken"]}, 0),
    ({"type": "exists", "terms": ["utleiebolig*"]}, 2),  # wildcard: utleieboliger
    ({"type": "exists", "terms": ["=vanskeligstilt"]}, 2),  # lemma: vanskeligstilte
    ({"type": "exists", "terms": ["startlån"], "min": 3}, 0),
    ({"type": "exists", "terms": ["startlån"], "min": 3, "partial_min": 1}, 1),
    ({"type": "exists", "terms": ["startlån", "bostøtte"], "all": True}, 2),
    ({"type": "exists", "terms": ["startlån", "husbanken"], "all": True}, 0),
    ({"type": "exists", "terms": ["startlån"], "select": {"sections": ["tiltak"]}}, 2),
    ({"type": "exists", "terms": ["bostøtte"], "select": {"sections": ["tiltak"]}}, 0),
    ({"type": "exists", "terms": ["bostøtte"], "select": {"exclude_sections": ["kunnskapsgrunnlag"]}}, 0),
    ({"type": "exists", "terms": ["eiendomsavdelingen"], "select": {"blocks": ["table"]}}, 2),
    ({"type": "exists", "terms": ["eiendomsavdelingen"], "select": {"blocks": ["paragraph"]}}, 0),
    ({"type": "exists", "terms": ["boligsosialt team"], "select": {"items": "measures"}}, 2),
    ({"type": "absent", "terms": ["husbanken"]}, 2),
    ({"type": "absent", "terms": ["ved behov"]}, 0),
    ({"type": "absent", "terms": ["ved behov"], "max": 2}, 2),
    ({"type": "pattern", "regex": r"\b\d+ husstander\b"}, 2),
    ({"type": "pattern", "regex": r"\bkr\s*\d"}, 0),
    ({"type": "pattern", "regex": r"\bløpende\b", "expect": "absent"}, 0),
    ({"type": "count", "terms": ["startlån"], "min": 2}, 2),
    ({"type": "count", "terms": ["startlån"], "min": 3, "partial_min": 2}, 1),
    ({"type": "count", "terms": ["startlån"], "max": 1}, 0),
    ({"type": "count", "regex": r"\bbolig\w*", "min": 1, "max": 10}, 2),
    ({"type": "field_present", "items": "measures", "fields": ["responsible"], "threshold": 0.6}, 2),
    ({"type": "field_present", "items": "measures", "fields": ["responsible"], "threshold": 0.9}, 1),
    ({"type": "field_present", "items": "measures", "fields": ["responsible", "deadline"], "threshold": 0.9,
      "partial": 0.9}, 0),
    ({"type": "field_present", "items": "goals", "fields": ["target"]}, 0),
    ({"type": "reference", "kinds": ["økonomiplan"], "explicit": True}, 2),
    ({"type": "reference", "names": ["plan- og bygningsloven", "pbl"]}, 0),
    ({"type": "reference", "names": ["planstrategi*"], "partial": ["økonomiplan*"]}, 1),
    ({"type": "exists", "sentences": {"all_of": [["vanskeligstilt*"], ["husstand*"]]}}, 2),
    ({"type": "exists", "sentences": {"all_of": [["vanskeligstilt*"], ["startlån"]]}}, 0),  # not in one sentence
    ({"type": "exists", "sentences": {"all_of": [["vanskeligstilt*"]], "unless": ["kartlegging*"]}}, 0),
    ({"type": "exists", "sentences": {"all_of": [["husstand*"]], "figures": True}}, 2),
    ({"type": "exists", "sentences": {"all_of": [["startlån"]], "figures": True}}, 0),
    ({"type": "count", "sentences": {"all_of": [["bolig*", "startlån"]]}, "min": 3}, 2),
    ({"type": "exists", "terms": [["startlån", "husbanken"], ["bostøtte"], ["tilskudd"]], "min_distinct": 2}, 2),
    ({"type": "exists", "terms": [["startlån"], ["bustøtte"], ["tilskudd"]], "min_distinct": 2, "partial_min": 1}, 1),
    ({"type": "exists", "terms": [["husbanken"], ["tilskudd"]], "min_distinct": 1}, 0),
    ({"type": "metric", "value": "measures", "min": 3}, 2),
    ({"type": "metric", "value": "measures.responsible / measures", "min": 0.9, "partial_min": 0.5}, 1),
    ({"type": "metric", "value": "measures / goals", "min": 1}, 0),  # no goals: nothing to divide by
    ({"type": "metric", "value": "pages", "max": 1}, 0),
])
def test_check_type_levels(tmp_path: Path, check: dict[str, Any], expected: int) -> None:
    assert level(audit_with(tmp_path, check)) == expected


def test_generic_responsibility_does_not_count_unless_strict_is_off(tmp_path: Path) -> None:
    check = {"type": "field_present", "items": "measures", "fields": ["responsible"], "threshold": 1.0}
    assert level(audit_with(tmp_path, check)) == 1
    assert level(audit_with(tmp_path, {**check, "strict": False})) == 2


def test_field_present_names_each_measure_without_the_field(tmp_path: Path) -> None:
    check = {"type": "field_present", "items": "measures", "fields": ["deadline"], "threshold": 1.0}
    report = audit_with(tmp_path, check, message={"nb": "Tiltaket mangler frist: {quote}"})
    findings = [f for f in report.findings if f.rule == "TST001"]
    assert len(findings) == 1
    assert "boligsosialt team" in findings[0].message and findings[0].location.page == 2


def test_absent_reports_every_place_with_page_and_quote(tmp_path: Path) -> None:
    report = audit_with(tmp_path, {"type": "absent", "terms": ["ved behov"]},
                        message={"nb": "Uklar frist: {quote}", "en": "Vague: {quote}"}, severity="info")
    findings = [f for f in report.findings if f.rule == "TST001"]
    assert len(findings) == 2
    assert {f.location.page for f in findings} == {2}
    assert all(f.severity == "info" and f.message.startswith("Uklar frist: «") for f in findings)
    assert any("Ved behov vurderes" in (f.evidence or "") for f in findings)


def test_conditional_skips_or_fails_when_the_condition_does_not_hold(tmp_path: Path) -> None:
    condition = {"type": "exists", "terms": ["husbanken"]}
    consequence = {"type": "exists", "terms": ["tilskudd"]}
    skipped = audit_with(tmp_path, {"type": "conditional", "if": condition, "then": consequence})
    assert "test_criterion" not in skipped.criteria  # not assessed
    failed = audit_with(tmp_path, {"type": "conditional", "if": condition, "then": consequence, "otherwise": "fail"})
    assert level(failed) == 0
    applies = {"type": "conditional", "if": {"type": "exists", "terms": ["startlån"]}, "then": consequence}
    assert level(audit_with(tmp_path, applies)) == 0


def test_a_missing_thing_is_placed_in_the_first_chapter_the_check_looked_in(tmp_path: Path) -> None:
    report = audit_with(tmp_path, {"type": "exists", "terms": ["husbanken"], "select": {"sections": ["tiltak"]}})
    (finding,) = report.findings
    assert finding.location.page == 2 and finding.location.section == "Boligsosial handlingsplan 2025–2028 > Tiltak"
    whole_plan = audit_with(tmp_path, {"type": "exists", "terms": ["husbanken"]})
    assert whole_plan.findings[0].location.page is None


def test_conditional_otherwise_may_be_a_check(tmp_path: Path) -> None:
    check = {"type": "conditional", "if": {"type": "exists", "terms": ["husbanken"]},
             "then": {"type": "exists", "terms": ["tilskudd"]},
             "otherwise": {"type": "count", "terms": ["startlån"], "min": 3, "partial_min": 1}}
    assert level(audit_with(tmp_path, check)) == 1


def test_fail_level_and_message_value(tmp_path: Path) -> None:
    report = audit_with(tmp_path, {"type": "count", "terms": ["startlån"], "min": 5}, fail_level=1)
    assert level(report) == 1
    assert [f.message for f in report.findings] == ["Fant 2."]
    english = audit_text(PLAN, rule="TST001", rule_packs=[write(tmp_path, pack([rule(
        {"type": "count", "terms": ["startlån"], "min": 5})]))], lang="en")
    assert [f.message for f in english.findings] == ["Found 2."]


def test_table_of_contents_lines_are_not_read(tmp_path: Path) -> None:
    # "Kunnskapsgrunnlag" occurs as a contents line and as a heading, never in running text
    check = {"type": "count", "terms": ["kunnskapsgrunnlag"], "min": 1,
             "select": {"blocks": ["paragraph", "list_item", "table"]}}
    assert level(audit_with(tmp_path, check)) == 0
    assert level(audit_with(tmp_path, {**check, "select": {"blocks": ["heading"]}})) == 2


def test_structured_plan_items_are_read_as_text(tmp_path: Path, plans_dir: Path) -> None:
    check = {"type": "count", "terms": ["startlån"], "min": 1, "select": {"sections": ["tiltak"]}}
    path = write(tmp_path, pack([rule(check)]))
    report = audit_text((plans_dir / "god_plan.yaml").read_bytes(), rule="TST001", rule_packs=[path],
                        name="god_plan.yaml")
    assert level(report) == 2


def test_pack_criterion_weight_zero_leaves_the_overall_score(tmp_path: Path, plans_dir: Path) -> None:
    weighted = write(tmp_path, pack([rule({"type": "exists", "terms": ["husbanken-finnes-ikke"]})],
                                    [{"id": "test_criterion", "title": {"nb": "Test"}, "weight": 0}]))
    registry = default_registry()
    plain = audit_text((plans_dir / "god_plan.md").read_text(encoding="utf-8"))
    with_pack = audit_text((plans_dir / "god_plan.md").read_text(encoding="utf-8"), rule_packs=[weighted])
    assert with_pack.criteria["test_criterion"].level == 0
    assert with_pack.criteria["test_criterion"].weight == 0
    assert with_pack.score == plain.score
    assert registry is default_registry() and "test_criterion" not in registry.criteria  # no leak


# --- a pack from the command line and from the configuration -----------------------------

def test_check_with_rules_option_reports_the_pack_criterion(tmp_path: Path) -> None:
    path = write(tmp_path, pack([rule({"type": "absent", "terms": ["ved behov"]})],
                                [{"id": "test_criterion", "title": {"nb": "Klare frister", "en": "Clear deadlines"}}]))
    plan = write(tmp_path, PLAN, "plan.md")
    result = run("check", plan, "--rules", path)
    assert result.exit_code == 0, result.output
    assert "Klare frister" in result.stdout and "TST001" in result.stdout
    data = json.loads(run("check", plan, "--rules", path, "--format", "json").stdout)
    assert data["criteria"]["test_criterion"]["level"] == 0


def test_rule_packs_in_the_configuration_are_relative_to_it(tmp_path: Path) -> None:
    (tmp_path / "regler").mkdir()
    write(tmp_path / "regler", pack([rule({"type": "exists", "terms": ["startlån"]})]), "min_pakke.yaml")
    (tmp_path / "planaudit.toml").write_text('rule_packs = ["regler/min_pakke.yaml"]\n', encoding="utf-8")
    plan = write(tmp_path, PLAN, "plan.md")
    data = json.loads(run("check", plan, "--format", "json", "--select", "TST001").stdout)
    assert data["criteria"] == {"test_criterion": data["criteria"]["test_criterion"]}
    assert data["criteria"]["test_criterion"]["level"] == 2


def test_rules_list_and_show_include_a_pack(tmp_path: Path) -> None:
    path = write(tmp_path, pack([rule({"type": "exists", "terms": ["startlån"]})]))
    assert "TST001" in run("rules", "list", "--rules", path).stdout
    shown = run("rules", "show", "TST001", "--rules", path).stdout
    assert "Testregel" in shown and "test-pack 1" in shown and "startlån" in shown


def test_builtin_packs_are_listed_with_their_rules() -> None:
    listed = " ".join(run("plugins").stdout.split())
    assert "regelpakke boligsosialloven 1.0 (BSL001–" in listed
    assert "regelpakke plan-og-bygningsloven 1.0 (PBL001–" in listed
    assert "12 regler (PA001–PA012)" in listed
    data = json.loads(run("plugins", "--format", "json").stdout)
    rules_plugin = next(p for p in data["plugins"] if p["plugin"] == "rules")
    assert {p["pack"] for p in rules_plugin["packs"]} == {"boligsosialloven", "plan-og-bygningsloven"}
    assert rules_plugin["rules"] == [f"PA{n:03}" for n in range(1, 13)]


# --- errors a pack author reads ----------------------------------------------------------

BROKEN: list[tuple[str, str, str]] = [
    # (pack text, line expected in the message, words expected in the message)
    ("pack: x\nprefix: TST\nrules:\n  - id: TST001\n    name: [unclosed\n", ":5:", "ugyldig YAML"),
    ("pack: x\nprefix: TST\nprefix: TSU\nrules: []\n", ":3:", "duplicate key"),
    ("pack: x\nprefix: TST\nrules: []\n", ":3:", "rules: kan ikke være tom"),
    ("pack: x\nprefix: tst\nrules: []\n", ":2:", "prefix: må være 2–8 store bokstaver"),
    ("pack: x\nprefix: TST\nrulez: []\n", ":3:", "rulez: ukjent nøkkel"),
]


@pytest.mark.parametrize(("text", "line", "words"), BROKEN)
def test_broken_pack_text_gives_file_line_and_cause(tmp_path: Path, text: str, line: str, words: str) -> None:
    path = write(tmp_path, text)
    result = run("rules", "validate", path)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"planaudit: {path}{line}"), result.stderr
    assert words in result.stderr


def _rule_error(tmp_path: Path, check: dict[str, Any], **overrides: Any) -> str:
    data = pack([rule({"type": "exists", "terms": ["x"]}), rule(check, **{"id": "TST002", **overrides})])
    path = write(tmp_path, data)
    result = run("rules", "validate", path)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    return result.stderr


@pytest.mark.parametrize(("check", "overrides", "expected"), [
    ({"type": "exist", "terms": ["x"]}, {}, "rules[1].check.type: ukjent sjekktype 'exist' (finnes: absent, conditional"),
    ({"type": "exists", "term": ["x"]}, {}, "rules[1].check.term: ukjent nøkkel"),
    ({"type": "exists"}, {}, "rules[1].check: exists needs exactly one of terms, sentences"),
    ({"type": "count", "terms": ["x"], "regex": "y", "min": 1}, {}, "count needs exactly one of terms, sentences, regex"),
    ({"type": "exists", "sentences": {"all_of": [["x"]], "unles": ["y"]}}, {}, "rules[1].check.sentences.unles: ukjent"),
    ({"type": "exists", "terms": ["x"], "min": 0}, {}, "rules[1].check.min: må være minst 1"),
    ({"type": "pattern", "regex": "(unclosed"}, {}, "rules[1].check.regex: invalid regular expression"),
    ({"type": "pattern", "regex": "a*"}, {}, "matches the empty text"),
    ({"type": "exists", "terms": ["= "]}, {}, "rules[1].check.terms: lemma term"),
    ({"type": "metric", "value": "__import__('os')", "min": 1}, {}, "rules[1].check.value: cannot compute"),
    ({"type": "metric", "value": "measures +", "min": 1}, {}, "is no arithmetic expression"),
    ({"type": "metric", "value": "measures"}, {}, "metric needs min, max or both"),
    ({"type": "field_present", "items": "goals", "fields": ["responsible"]}, {}, "goals have no field responsible"),
    ({"type": "conditional", "if": {"type": "exists", "terms": ["x"]}, "then": {"type": "nope"}}, {},
     "rules[1].check.then.type: ukjent sjekktype 'nope'"),
    ({"type": "exists", "terms": ["x"]}, {"id": "XYZ002"}, "rules[1].id: regel-ID-en må begynne med pakkens prefiks TST"),
    ({"type": "exists", "terms": ["x"]}, {"id": "TST001"}, "rules[1].id: regel-ID TST001 står to ganger"),
    ({"type": "exists", "terms": ["x"]}, {"criterion": "kostnader"}, "rules[1].criterion: ukjent kriterium 'kostnader'"),
    ({"type": "exists", "terms": ["x"]}, {"citation": ""}, "rules[1].citation: kan ikke være tom"),
])
def test_broken_rule_names_the_rule_the_field_and_its_line(tmp_path: Path, check: dict[str, Any],
                                                         overrides: dict[str, Any], expected: str) -> None:
    message = _rule_error(tmp_path, check, **overrides)
    assert expected in message, message
    line = int(message.split(":")[2])
    text = (tmp_path / "pack.yaml").read_text(encoding="utf-8").splitlines()
    assert line > text.index("- id: TST001"), "the line points into the second rule, not the first"


def test_a_pack_criterion_may_not_redefine_a_builtin_one(tmp_path: Path) -> None:
    path = write(tmp_path, pack([rule({"type": "exists", "terms": ["x"]}, criterion="costs")],
                                [{"id": "costs", "title": {"nb": "Kostnader"}}]))
    result = run("rules", "validate", path)
    assert result.exit_code == 2 and "criteria[0].id: kriteriet 'costs' finnes fra før" in result.stderr


def test_broken_pack_stops_check_with_exit_2_and_leaves_the_plan_alone(tmp_path: Path) -> None:
    path = write(tmp_path, "pack: x\nprefix: TST\nrules:\n  - id: TST001\n")
    plan = write(tmp_path, PLAN, "plan.md")
    before = plan.read_bytes()
    result = run("check", plan, "--rules", path)
    assert result.exit_code == 2 and f"{path}:4:" in result.stderr
    assert plan.read_bytes() == before


def test_missing_pack_file_is_one_line(tmp_path: Path) -> None:
    result = run("check", write(tmp_path, PLAN, "plan.md"), "--rules", tmp_path / "finnes-ikke.yaml")
    assert result.exit_code == 2 and "finnes-ikke.yaml: regelpakken finnes ikke (eller er ingen fil)" in result.stderr


def test_valid_pack_is_confirmed(tmp_path: Path) -> None:
    path = write(tmp_path, pack([rule({"type": "exists", "terms": ["x"]})]))
    result = run("rules", "validate", path, "--lang", "en")
    assert result.exit_code == 0 and "is valid, 1 rule (TST001)" in result.stdout


@pytest.mark.parametrize("name", ["boligsosialloven.yaml", "plan_og_bygningsloven.yaml"])
def test_the_builtin_packs_validate_although_they_are_installed(name: str) -> None:
    result = run("rules", "validate", REPO / "rules" / name)
    assert result.exit_code == 0, result.output
    assert "er gyldig" in result.stdout


def test_a_broken_pack_from_a_plugin_names_the_plugin(tmp_path: Path) -> None:
    path = write(tmp_path, "pack: x\nprefix: TST\nrules: 3\n")

    class BrokenPackPlugin:
        @hookimpl
        def planaudit_register_rule_packs(self) -> list[Path]:
            return [path]

    with pytest.raises(Exception) as error:
        load_registry(extra_plugins=(BrokenPackPlugin(),))
    assert "BrokenPackPlugin" in str(error.value) and f"{path}:3:" in str(error.value)


# --- the shipped schema ------------------------------------------------------------------

def _schema() -> dict[str, Any]:
    return json.loads((shipped_dir() / "rulepack.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(p.name for p in (REPO / "rules").glob("*.yaml")))
def test_builtin_packs_validate_against_the_shipped_schema(name: str) -> None:
    jsonschema.validate(yaml.safe_load((REPO / "rules" / name).read_text(encoding="utf-8")), _schema())


def test_shipped_schema_rejects_a_misspelt_check_parameter() -> None:
    data = pack([rule({"type": "exists", "term": ["x"]})])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, _schema())
    jsonschema.validate(pack([rule({"type": "my_plugin_check", "anything": 1})]), _schema())


# --- a check type from a plugin ----------------------------------------------------------

def test_a_plugin_check_type_is_usable_in_packs(tmp_path: Path) -> None:
    from typing import Literal

    from pydantic import BaseModel, ConfigDict

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True)
        type: Literal["long_enough"]
        words: int

    class LongEnough:
        name = "long_enough"
        params = Params

        def prepare(self, params: Params, compile_child: Any) -> None:
            return None

        def evaluate(self, params: Params, prepared: None, ctx: CheckContext) -> Outcome:
            words = sum(len(block.text.split()) for block in ctx.rule.document.blocks)
            return Outcome(2 if words >= params.words else 0, str(words))

    class CheckPlugin:
        @hookimpl
        def planaudit_register_check_types(self) -> dict[str, Any]:
            return {"long_enough": LongEnough()}

    registry = load_registry(extra_plugins=(CheckPlugin(),))
    path = write(tmp_path, pack([rule({"type": "long_enough", "words": 10})]))
    extended = registry.with_packs([path])
    from planaudit import audit

    report = audit(PLAN.encode(), name="plan.md", select=["TST001"], registry=extended)
    assert report.criteria["test_criterion"].level == 2
    wrong = write(tmp_path, pack([rule({"type": "long_enough", "word": 10})]), "wrong.yaml")
    with pytest.raises(ConfigError, match=r"wrong\.yaml:\d+: rules\[0\]\.check\.word"):
        registry.with_packs([wrong])


# --- terms never crash -------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(terms=st.lists(st.text(max_size=20), min_size=1, max_size=4), text=st.text(max_size=300))
def test_terms_never_crash_on_arbitrary_terms_and_text(terms: list[str], text: str) -> None:
    try:
        matcher = Terms(terms)
    except TermError:
        return
    for start, end in matcher.finditer(text):
        assert 0 <= start < end <= len(text)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300))
def test_figure_detection_never_crashes(text: str) -> None:
    assert has_figure(text) in (True, False)


@pytest.mark.parametrize(("text", "figure"), [
    ("Per 31.12.2024 sto 46 husstander på venteliste.", True),
    ("Talet på bustadlause auka frå 12 til 19.", True),
    ("1 200 søknader og 3,5 % av befolkningen", True),
    ("Planen gjelder 2024–2027.", False),
    ("Tiltak 3.1 og kapittel 4 beskriver dette.", False),
    ("Kostnad kr 2 mill., eller 500 000 kroner.", False),
    ("Innen 1. kvartal 2026, jf. § 5.", False),
])
def test_a_figure_is_a_count_not_a_year_date_amount_or_number_of_a_part(text: str, figure: bool) -> None:
    assert has_figure(text) is figure


def test_terms_match_whole_words_wildcards_and_lemmas() -> None:
    assert Terms(["bolig"]).search("Boligsosial plan") is None
    assert Terms(["bolig*"]).search("Boligsosial plan") == (0, 11)
    assert Terms(["=vedta"]).search("Planen ble vedtatt i 2024") is not None
    assert Terms(["behov for bolig*"]).search("Det er behov  for boliger.") is not None
    assert Terms(["startlån"]).search("STARTLÅN") == (0, 8)
