"""The plugin engine: loading plugins one at a time, isolating rules, scoring and profiles."""
from __future__ import annotations

import importlib.metadata as metadata
import json
import sys
import types
from typing import Any
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result

import planaudit
import planaudit.cli._commands as cli_commands
import planaudit.engine._settings as engine_settings
import planaudit.engine._plugins as plugins_module
from planaudit.cli import cli
from planaudit.engine import (
    Assessment,
    Rule,
    RuleContext,
    audit,
    default_registry,
    hookimpl,
    load_profile,
    load_registry,
)
from planaudit.engine._profiles import builtin_profiles
from planaudit.engine.scoring import overall_score, passes, score_criteria
from planaudit.errors import ConfigError, PluginError
from planaudit.model import CRITERIA, CriterionScore
from planaudit.model.schemas import SCHEMA_MODELS, render, shipped_dir

#: The twelve criteria and those of the built-in rule packs (boligsosialloven, pbl).
AUDITED_CRITERIA = set(CRITERIA) | set(default_registry().criteria)
#: PA001–PA012 and the rules of the two built-in packs.
BUILTIN_RULE_IDS = ({f"PA{n:03}" for n in range(1, 13)} | {f"BSL{n:03}" for n in range(1, 9)}
                    | {f"PBL{n:03}" for n in range(1, 7)})

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
GOOD = FIXTURES / "plans" / "god_plan.md"
WEAK = FIXTURES / "plans" / "svak_plan.md"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def assert_no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr


# --- test plugins ------------------------------------------------------------------------

class ExplodingRule(Rule):
    """Regel som alltid feiler (for testen)."""

    id = "XX900"
    name = "test.explodes"
    criterion = "costs"

    def check(self, ctx: RuleContext) -> Assessment:
        raise RuntimeError("kaboom i regelen")


class ExplodingPlugin:
    @hookimpl
    def planaudit_register_rules(self) -> list[type[Rule]]:
        return [ExplodingRule]


class OutOfRangeRule(Rule):
    """Regel som gir et nivå utenfor 0–2 (for testen)."""

    id = "XX901"
    name = "test.out_of_range"
    criterion = "costs"

    def check(self, ctx: RuleContext) -> Assessment:
        return Assessment(3, evidence=["XX901-bevis"])


class OutOfRangePlugin:
    @hookimpl
    def planaudit_register_rules(self) -> list[type[Rule]]:
        return [OutOfRangeRule]


class ClashingRule(Rule):
    """Regel med en ID som allerede er tatt."""

    id = "PA001"
    name = "test.clash"
    criterion = "measurable_goals"

    def check(self, ctx: RuleContext) -> Assessment:
        return Assessment(2)


class ClashingPlugin:
    @hookimpl
    def planaudit_register_rules(self) -> list[type[Rule]]:
        return [ClashingRule]


class ServiceDeclaration(Rule):
    """Planen nevner en tjenesteerklæring for boligsøkere.

    En tredjepartsregel skrevet i testen: den gir et funn når planen ikke nevner
    en tjenesteerklæring, og brukes for å se at tillegg behandles som de innebygde reglene.

    Kilde: Testkommunens egen sjekkliste, punkt 4.
    Svakt: «Søkere får svar så fort som mulig.»
    Godt: «Tjenesteerklæringen lover svar på søknad om kommunal bolig innen 4 uker.»
    """

    id = "XX001"
    name = "test.service_declaration"
    criterion = "follow_up"
    severity = "info"

    def check(self, ctx: RuleContext) -> Assessment:
        finding = self.finding(ctx, ("Planen nevner ingen tjenesteerklæring (XX001-test).",
                                     "The plan mentions no service declaration (XX001 test)."),
                               ("Skriv en tjenesteerklæring.", "Write a service declaration."),
                               evidence=ctx.plan.metadata.title)
        return Assessment(2, evidence=["XX001-bevis"], findings=[finding])


class ThirdPartyPlugin:
    @hookimpl
    def planaudit_register_rules(self) -> list[type[Rule]]:
        return [ServiceDeclaration]


# --- a rule that raises ------------------------------------------------------------------

def test_rule_that_raises_is_isolated() -> None:
    registry = load_registry(extra_plugins=(ExplodingPlugin(),))
    report = audit(GOOD, registry=registry)
    assert set(report.criteria) == AUDITED_CRITERIA
    # costs still has PA004's verdict, as if XX900 had not been there
    assert report.criteria["costs"].level == audit(GOOD).criteria["costs"].level
    errors = [note for note in report.notifications if note.level == "error"]
    assert len(errors) == 1
    assert errors[0].rule == "XX900"
    assert "XX900" in errors[0].message
    assert str(GOOD) in errors[0].message
    assert "kaboom i regelen" in errors[0].message


def test_rule_that_raises_makes_cli_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = load_registry(extra_plugins=(ExplodingPlugin(),))
    monkeypatch.setattr(engine_settings, "default_registry", lambda: registry)
    result = run("check", GOOD, "--format", "json")
    assert result.exit_code == 2, result.output
    assert_no_traceback(result)
    report = json.loads(result.stdout)
    assert set(report["criteria"]) == AUDITED_CRITERIA
    assert any(n["level"] == "error" and n["rule"] == "XX900" for n in report["notifications"])


def test_rule_that_raises_is_visible_in_table(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = load_registry(extra_plugins=(ExplodingPlugin(),))
    monkeypatch.setattr(engine_settings, "default_registry", lambda: registry)
    result = run("check", GOOD)
    assert result.exit_code == 2
    assert "XX900" in result.output


def test_rule_that_raises_is_named_on_stderr_when_the_format_drops_notifications(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """CSV carries no notifications, so exit 2 must still be explained somewhere the user sees."""
    registry = load_registry(extra_plugins=(ExplodingPlugin(),))
    monkeypatch.setattr(engine_settings, "default_registry", lambda: registry)
    result = run("check", GOOD, "--format", "csv")
    assert result.exit_code == 2
    assert_no_traceback(result)
    assert "XX900" in result.stderr, (result.stdout[-300:], result.stderr)


# --- a rule that gives a level outside 0-2 ---------------------------------------------------

@pytest.mark.parametrize(("lang", "failed"), [("nb", "feilet på"), ("en", "failed on")])
def test_rule_with_out_of_range_level_is_an_error(lang: str, failed: str) -> None:
    registry = load_registry(extra_plugins=(OutOfRangePlugin(),))
    report = audit(GOOD, registry=registry, lang=lang)
    baseline = audit(GOOD, lang=lang)
    # every criterion is still scored, costs as if XX901 had not been there
    assert set(report.criteria) == AUDITED_CRITERIA
    assert report.criteria == baseline.criteria
    assert report.score == baseline.score
    assert all("XX901-bevis" not in score.evidence for score in report.criteria.values())
    errors = [note for note in report.notifications if note.level == "error"]
    assert len(errors) == 1
    assert errors[0].rule == "XX901"
    assert errors[0].message.startswith(f"{'regel' if lang == 'nb' else 'rule'} XX901 {failed} {GOOD}: ")
    assert "3" in errors[0].message


def test_rule_with_out_of_range_level_makes_cli_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = load_registry(extra_plugins=(OutOfRangePlugin(),))
    monkeypatch.setattr(engine_settings, "default_registry", lambda: registry)
    result = run("check", GOOD, "--format", "json")
    assert result.exit_code == 2, result.output
    assert_no_traceback(result)
    report = json.loads(result.stdout)
    assert set(report["criteria"]) == AUDITED_CRITERIA
    assert any(n["level"] == "error" and n["rule"] == "XX901" for n in report["notifications"])


# --- PA005 with the adoption only in a structured plan's metadata ------------------------------

def test_adoption_in_metadata_only_counts_for_political_anchoring() -> None:
    """metadata.adoption has no text or location: it sets the level but is not cited (it once
    made PA005 fail with an AttributeError)."""
    plan = {
        "metadata": {"title": "Boligsosial handlingsplan",
                     "adoption": {"body": "kommunestyret", "date": "2025-06-12", "case": "45/25"}},
        "political": [{"kind": "involvement", "body": "hovedutvalget",
                       "text": "Hovedutvalget behandlet utkastet før høring.", "location": {"page": 2}}],
    }
    report = audit(yaml.safe_dump(plan, allow_unicode=True).encode("utf-8"), name="plan.yaml", select=["PA005"])
    assert [note for note in report.notifications if note.level == "error"] == []
    assert report.criteria["political_anchoring"].level == 2
    assert report.criteria["political_anchoring"].evidence == ["side 2: «Hovedutvalget behandlet utkastet før høring.»"]
    assert not [f for f in report.findings if f.rule == "PA005"]


# --- rule id clashes ---------------------------------------------------------------------

def test_clashing_rule_id_names_the_plugin_module() -> None:
    module = types.ModuleType("tredjepart_dobbel")
    module.planaudit_register_rules = ClashingPlugin.planaudit_register_rules.__get__(ClashingPlugin())
    with pytest.raises(PluginError) as caught:
        load_registry(extra_plugins=(module,))
    message = caught.value.message()
    assert "tredjepart_dobbel" in message
    assert "PA001" in message
    assert "planaudit:rules" in message  # who had the id first


def test_clashing_rule_id_names_the_plugin_object() -> None:
    with pytest.raises(PluginError) as caught:
        load_registry(extra_plugins=(ClashingPlugin(),))
    message = caught.value.message()
    assert "PA001" in message
    # a user must be able to tell which plugin it was, not a memory address
    assert "ClashingPlugin" in message, message


def test_clashing_rule_from_entry_point_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("planaudit_test_clash_plugin")
    module.planaudit_register_rules = hookimpl(lambda: [ClashingRule])
    monkeypatch.setitem(sys.modules, "planaudit_test_clash_plugin", module)
    real = plugins_module._entry_points()
    fake = metadata.EntryPoint(name="dobbel", value="planaudit_test_clash_plugin", group="planaudit")
    monkeypatch.setattr(plugins_module, "_entry_points", lambda: [*real, fake])
    with pytest.raises(PluginError) as caught:
        load_registry()
    assert "dobbel" in caught.value.message()
    assert "PA001" in caught.value.message()


# --- entry points, one at a time ---------------------------------------------------------

@pytest.fixture
def broken_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    default_registry()  # fill the process-wide cache with the real plugins before patching
    real = plugins_module._entry_points()
    assert {ep.name for ep in real} >= {"rules", "readers", "reporters", "profiles"}
    fake = metadata.EntryPoint(name="broken", value="planaudit_no_such_module:x", group="planaudit")
    monkeypatch.setattr(plugins_module, "_entry_points", lambda: [*real, fake])
    monkeypatch.setattr(engine_settings, "default_registry", load_registry)
    monkeypatch.setattr(cli_commands, "default_registry", load_registry)


def test_broken_entry_point_is_recorded_and_others_load(broken_entry_point: None) -> None:
    registry = load_registry()
    assert [failure.name for failure in registry.failures] == ["broken"]
    failure = registry.failures[0]
    assert "ModuleNotFoundError" in failure.error
    assert "planaudit_no_such_module" in failure.error
    assert "broken" in failure.message("en")
    assert set(registry.rules) == BUILTIN_RULE_IDS
    assert {"kommune", "husbanken"} <= set(registry.profiles)
    assert {"table", "json"} <= set(registry.reporters)
    assert registry.readers


def test_broken_entry_point_with_strict_exits_2(broken_entry_point: None) -> None:
    result = run("check", GOOD, "--strict", "--format", "json")
    assert result.exit_code == 2, result.output
    assert_no_traceback(result)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "broken" in lines[0] and "planaudit_no_such_module" in lines[0]
    assert result.stdout == ""


def test_broken_entry_point_with_strict_in_config_exits_2(broken_entry_point: None, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "planaudit.toml").write_text("strict = true\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("check", GOOD)
    assert result.exit_code == 2, result.output
    assert len(result.stderr.splitlines()) == 1


def test_broken_entry_point_without_strict_warns_and_reports(broken_entry_point: None) -> None:
    result = run("check", GOOD, "--format", "json")
    assert result.exit_code == 0, result.output
    assert_no_traceback(result)
    assert "broken" in result.stderr
    report = json.loads(result.stdout)
    assert set(report["criteria"]) == AUDITED_CRITERIA
    warnings = [n for n in report["notifications"] if n["level"] == "warning"]
    assert any("broken" in n["message"] and "planaudit_no_such_module" in n["message"] for n in warnings)


def test_broken_entry_point_shown_by_plugins_command(broken_entry_point: None) -> None:
    result = run("plugins", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [f["plugin"] for f in data["failures"]] == ["broken"]
    assert {p["plugin"] for p in data["plugins"]} >= {"rules", "readers", "reporters", "profiles"}


# --- scoring -----------------------------------------------------------------------------

def _profile(name: str):  # type: ignore[no-untyped-def]
    return next(p for p in builtin_profiles() if p.name == name)


def test_criterion_level_is_the_minimum_of_its_rules() -> None:
    kommune = _profile("kommune")
    scores = score_criteria([("costs", Assessment(2)), ("costs", Assessment(1)), ("costs", Assessment(2)),
                             ("timeline", Assessment(2)), ("timeline", Assessment(None))], kommune)
    assert scores["costs"].level == 1
    assert scores["costs"].score == round((100 + 50 + 100) / 3)
    assert scores["timeline"].level == 2
    low = score_criteria([("costs", Assessment(0)), ("costs", Assessment(2))], kommune)
    assert low["costs"].level == 0


def test_overall_score_is_weight_averaged() -> None:
    criteria = {
        "measurable_goals": CriterionScore(level=2, score=100, weight=3.0),
        "follow_up": CriterionScore(level=0, score=0, weight=1.0),
    }
    assert overall_score(criteria) == 75
    criteria["follow_up"] = CriterionScore(level=1, score=50, weight=1.0)
    assert overall_score(criteria) == round((300 + 50) / 4)
    equal = {"measurable_goals": CriterionScore(level=2, score=100, weight=1.0),
             "follow_up": CriterionScore(level=0, score=0, weight=1.0)}
    assert overall_score(equal) == 50


def _all_good(profile, **override: tuple[int, int]) -> dict[str, CriterionScore]:  # type: ignore[no-untyped-def]
    scores = {}
    for cid in CRITERIA:
        level, score = override.get(cid, (2, 100))
        scores[cid] = CriterionScore(level=level, score=score, weight=profile.weight(cid))
    return scores


def test_husbanken_fails_a_plan_without_costs_despite_high_score() -> None:
    husbanken = _profile("husbanken")
    criteria = _all_good(husbanken, costs=(0, 0))
    score = overall_score(criteria)
    assert score >= husbanken.pass_score + 10, score
    assert passes(criteria, score, husbanken) is False
    # the same plan with costs at level 1 passes: it is the requirement that fails it
    criteria = _all_good(husbanken, costs=(1, 50))
    assert passes(criteria, overall_score(criteria), husbanken) is True
    # and the kommune profile has no such requirement
    kommune = _profile("kommune")
    criteria = _all_good(kommune, costs=(0, 0))
    assert passes(criteria, overall_score(criteria), kommune) is True


def test_low_score_fails() -> None:
    kommune = _profile("kommune")
    criteria = _all_good(kommune, **{cid: (1, 20) for cid in CRITERIA})
    assert passes(criteria, overall_score(criteria), kommune) is False


def test_husbanken_weights_in_a_real_audit() -> None:
    report = audit(WEAK, profile="husbanken")
    assert report.profile == "husbanken"
    assert report.passed is False
    assert report.criteria["costs"].weight == 3.0
    assert report.criteria["follow_up"].weight == 1.0


# --- profiles ----------------------------------------------------------------------------

def test_builtin_profiles_cover_all_criteria() -> None:
    registry = load_registry()
    assert {"kommune", "husbanken"} <= set(registry.profiles)
    for name in ("kommune", "husbanken"):
        profile = registry.profile(name)
        assert set(profile.weights) == set(CRITERIA), name
        assert all(weight > 0 for weight in profile.weights.values())
        assert set(profile.required) <= set(CRITERIA)
        assert 0 < profile.pass_score <= 100


def test_broken_yaml_profile_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "fylke.yaml"
    path.write_text("name: fylke\nweights: {costs: [1, 2\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_profile(path)
    assert str(path) in caught.value.message()


def test_invalid_profile_names_the_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "fylke.yaml"
    path.write_text("name: fylke\ntitle: {nb: Fylke, en: County}\nweights: {costs: 2.0}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_profile(path)
    assert str(path) in caught.value.message()
    assert "pass_score" in caught.value.message()


def test_missing_profile_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "finnes_ikke.yaml"
    with pytest.raises(ConfigError) as caught:
        load_profile(path)
    assert str(path) in caught.value.message()


# --- a third-party rule ------------------------------------------------------------------

def test_third_party_rule_metadata_from_docstring() -> None:
    registry = load_registry(extra_plugins=(ThirdPartyPlugin(),))
    infos = {info.id: info for info in registry.rule_infos()}
    assert set(infos) == BUILTIN_RULE_IDS | {"XX001"}
    info = infos["XX001"]
    assert info.summary == "Planen nevner en tjenesteerklæring for boligsøkere."
    assert info.rationale.startswith("En tredjepartsregel skrevet i testen")
    assert "Kilde" not in info.rationale and "Svakt" not in info.rationale
    assert info.citation == "Testkommunens egen sjekkliste, punkt 4."
    assert info.bad_example == "«Søkere får svar så fort som mulig.»"
    assert info.good_example == "«Tjenesteerklæringen lover svar på søknad om kommunal bolig innen 4 uker.»"
    assert info.criterion == "follow_up"
    assert info.severity == "info"


def test_third_party_rule_findings_in_report() -> None:
    registry = load_registry(extra_plugins=(ThirdPartyPlugin(),))
    report = audit(GOOD, registry=registry)
    ours = [f for f in report.findings if f.rule == "XX001"]
    assert len(ours) == 1
    assert ours[0].criterion == "follow_up"
    assert ours[0].severity == "info"
    assert "tjenesteerklæring" in ours[0].message
    assert "XX001-bevis" in report.criteria["follow_up"].evidence
    assert set(report.criteria) == AUDITED_CRITERIA
    english = audit(GOOD, registry=registry, lang="en")
    assert any(f.rule == "XX001" and "service declaration" in f.message for f in english.findings)


def test_third_party_rule_through_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = load_registry(extra_plugins=(ThirdPartyPlugin(),))
    monkeypatch.setattr(engine_settings, "default_registry", lambda: registry)
    monkeypatch.setattr(cli_commands, "default_registry", lambda: registry)
    shown = run("rules", "show", "XX001")
    assert shown.exit_code == 0, shown.output
    assert "Svakt: «Søkere får svar så fort som mulig.»" in shown.stdout
    assert "Testkommunens egen sjekkliste" in shown.stdout
    assert "XX001" in run("rules", "list").stdout
    result = run("check", GOOD, "--select", "XX001", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {f["rule"] for f in report["findings"]} == {"XX001"}
    assert set(report["criteria"]) == {"follow_up"}


# --- schema drift ------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["plan", "report", "rulepack"])
def test_shipped_schema_matches_models(name: str) -> None:
    assert name in SCHEMA_MODELS
    shipped = shipped_dir() / f"{name}.schema.json"
    assert shipped.is_file()
    assert Path(planaudit.__file__).resolve().parent / "schemas" == shipped.parent
    assert render(name) == shipped.read_text(encoding="utf-8"), (
        f"{shipped} is out of date: run python -m planaudit.model.schemas")


@pytest.mark.parametrize("name", ["god_plan.yaml", "god_plan.json"])
def test_shipped_plan_schema_validates_the_structured_fixtures(name: str) -> None:
    schema = json.loads((shipped_dir() / "plan.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = yaml.safe_load((FIXTURES / "plans" / name).read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def test_shipped_plan_schema_rejects_the_schema_violation_fixture() -> None:
    schema = json.loads((shipped_dir() / "plan.schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load((FIXTURES / "broken" / "schema_violation.yaml").read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


# --- a profile that runs some criteria only ----------------------------------------------

class SelectingProfilePlugin:
    @hookimpl
    def planaudit_register_profiles(self) -> list[Any]:
        return [load_profile("kun-mål.yaml", "name: kun-maal\ntitle: {nb: Bare mål}\npass_score: 50\n"
                                             "weights: {}\nselect: [measurable_goals, PA004]\n")]


def test_a_profile_select_runs_only_its_criteria_and_the_command_line_overrides_it() -> None:
    registry = load_registry(extra_plugins=(SelectingProfilePlugin(),))
    report = audit(GOOD, profile="kun-maal", registry=registry)
    assert set(report.criteria) == {"measurable_goals", "costs"}
    overridden = audit(GOOD, profile="kun-maal", select=["PA002"], registry=registry)
    assert set(overridden.criteria) == {"responsibility"}
