"""``--baseline``: a Husbanken adviser re-auditing a revised plan sees only what is new.

The invented Lynghaug plan is audited and its JSON report saved; the municipality then
revises it: a new chapter renumbers the later ones, a measure moves to the next page, one
measure is dropped and one is added. Re-audited against the saved report, only the added
measure's finding remains, and the report says how many were left out and how many fixed.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from _cli import one_line_error
from click.testing import CliRunner, Result

from planaudit.cli import cli
from planaudit.engine import finding_fingerprint, finding_key, logical_section
from planaudit.model import Finding, FindingLocation

pytestmark = pytest.mark.usefixtures("isolated_cwd")

BUY = "Kjøpe fire utleieboliger i sentrum innen 2027. Ansvar: Eiendomsavdelingen."
BUILD = "Bygge seks omsorgsboliger innen 2028. Ansvar: Eiendomsavdelingen."
TEAM = "Opprette et bo-oppfølgingsteam innen 2026. Ansvar: Helse og omsorg."
LOANS = "Gi råd om startlån til barnefamilier innen 2026. Ansvar: NAV Lynghaug."
YOUNG = "Kjøpe to små leiligheter for unge innen 2028. Ansvar: Eiendomsavdelingen."

FIRST = f"""# Boligsosial handlingsplan for Lynghaug 2026–2029

Vedtatt i kommunestyret 4. mars 2026, sak 12/26.

## 1 Innledning

Lynghaug kommune har 140 kommunale utleieboliger og 35 husstander på venteliste.

## 2 Mål

- Flere skal bo godt i egen bolig.
- Ventetiden på kommunal bolig skal ned.

## 3 Tiltak

### 3.1 Boliger

- {BUY}
- {BUILD}

### 3.2 Oppfølging

- {TEAM}
- {LOANS}
"""

# A chapter inserted (3 Mål becomes 3, 3 Tiltak becomes 4), pages marked, BUY moved below
# BUILD onto page 3, LOANS dropped, YOUNG added.
REVISED = f"""<!-- side 1 -->

# Boligsosial handlingsplan for Lynghaug 2026–2029

Vedtatt i kommunestyret 4. mars 2026, sak 12/26.

## 1 Innledning

Lynghaug kommune har 140 kommunale utleieboliger og 35 husstander på venteliste.

## 2 Boligsituasjonen

Mange søkere venter lenge på en kommunal bolig.

<!-- side 2 -->

## 3 Mål

- Flere skal bo godt i egen bolig.
- Ventetiden på kommunal bolig skal ned.

## 4 Tiltak

### 4.1 Boliger

- {BUILD}

<!-- side 3 -->

- {BUY}
- {YOUNG}

### 4.2 Oppfølging

- {TEAM}
"""

SELECT = ("--select", "PA001,PA004")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def saved_run(folder: Path, text: str = FIRST, name: str = "lynghaug.md") -> Path:
    """The first audit, saved as an adviser would: --format json -o FILE."""
    plan = folder / "forrige" / name
    plan.parent.mkdir(exist_ok=True)
    plan.write_text(text, encoding="utf-8")
    base = folder / "forrige.json"
    result = run("check", plan, *SELECT, "--format", "json", "-o", base)
    assert result.exit_code == 0, result.output
    return base


def revised(folder: Path, text: str = REVISED, name: str = "lynghaug.md") -> Path:
    plan = folder / "ny" / name
    plan.parent.mkdir(exist_ok=True)
    plan.write_text(text, encoding="utf-8")
    return plan


def json_with(base: Path, plan: Path, *extra: str) -> dict:
    result = run("check", plan, *SELECT, "--baseline", base, "--format", "json", *extra)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_only_findings_new_since_the_saved_run_are_reported(tmp_path: Path) -> None:
    base = saved_run(tmp_path)
    plan = revised(tmp_path)
    everything = json.loads(run("check", plan, *SELECT, "--format", "json").stdout)
    assert {f["evidence"] for f in everything["findings"]} >= {BUY, BUILD, TEAM, YOUNG}
    assert {f["location"]["page"] for f in everything["findings"] if f["evidence"] == BUY} == {3}
    data = json_with(base, plan)
    assert [(f["rule"], f["evidence"]) for f in data["findings"]] == [("PA004", YOUNG)]
    assert data["baseline"] == {"in_baseline": True, "unchanged": len(everything["findings"]) - 1, "fixed": 1}
    # leaving findings out changes no level and no score
    assert data["criteria"] == everything["criteria"] and data["score"] == everything["score"]


def test_table_says_what_the_baseline_left_out(tmp_path: Path) -> None:
    base = saved_run(tmp_path)
    table = run("check", revised(tmp_path), *SELECT, "--baseline", base).stdout
    assert "Funn (1):" in table and "Kjøpe to små leiligheter" in table and "Bygge seks" not in table
    assert "Grunnlinje: 6 funn fra før vises ikke, 1 er rettet." in table
    english = run("check", revised(tmp_path), *SELECT, "--baseline", base, "--lang", "en", "-f", "markdown").stdout
    assert "Baseline: 6 earlier findings not shown, 1 fixed." in english


def test_unchanged_plan_against_its_own_report_has_no_findings_and_passes_fail_on(tmp_path: Path) -> None:
    base = saved_run(tmp_path)
    plan = revised(tmp_path, FIRST)
    assert run("check", plan, *SELECT, "--fail-on", "warning").exit_code == 1
    result = run("check", plan, *SELECT, "--fail-on", "warning", "--baseline", base)
    assert result.exit_code == 0, result.output
    assert "Ingen funn." in result.stdout
    assert json_with(base, plan)["baseline"] == {"in_baseline": True, "unchanged": 7, "fixed": 0}


def test_another_file_name_is_not_in_the_baseline(tmp_path: Path) -> None:
    base = saved_run(tmp_path)
    data = json_with(base, revised(tmp_path, name="fjordby.md"))
    assert data["baseline"] == {"in_baseline": False, "unchanged": 0, "fixed": 0}
    assert len(data["findings"]) == 7
    table = run("check", revised(tmp_path, name="fjordby.md"), *SELECT, "--baseline", base).stdout
    assert "Grunnlinjen har ingen rapport for dette dokumentet; alle funn vises." in table


def test_baseline_of_several_documents_matches_each_by_name(tmp_path: Path) -> None:
    first = revised(tmp_path, FIRST, "a.md")
    second = revised(tmp_path, FIRST.replace("Lynghaug", "Fjordby"), "b.md")
    base = tmp_path / "begge.json"
    assert run("check", first, second, *SELECT, "--format", "json", "-o", base).exit_code == 0
    assert isinstance(json.loads(base.read_text(encoding="utf-8")), list)
    second.write_text(REVISED.replace("Lynghaug", "Fjordby"), encoding="utf-8")
    data = json.loads(run("check", first, second, *SELECT, "--baseline", base, "--format", "json").stdout)
    assert [len(report["findings"]) for report in data] == [0, 1]
    assert [report["baseline"]["fixed"] for report in data] == [0, 1]


@pytest.mark.parametrize("content, cause", [
    (None, "grunnlinjen finnes ikke"),
    ("{not json", "grunnlinjen er ikke gyldig JSON (linje 1)"),
    ("{}", "er ikke en JSON-rapport fra planaudit"),
    ('{"version": "2.1.0", "runs": []}', "er ikke en JSON-rapport fra planaudit"),  # a SARIF file
    ('[{"planaudit_version": "0.1.0", "document": {"path": "a.md"}, "findings": [{"regel": 1}]}]',
     "er ikke en JSON-rapport fra planaudit"),
    ("directory", "grunnlinjen finnes ikke"),
    (b"\xff\xfe\x00binary", "grunnlinjen kan ikke leses"),
])
def test_unusable_baseline_is_one_line_naming_the_file(content: str | bytes | None, cause: str,
                                                       tmp_path: Path) -> None:
    base = tmp_path / "forrige.json"
    if content == "directory":
        base.mkdir()
    elif isinstance(content, bytes):
        base.write_bytes(content)
    elif content is not None:
        base.write_text(content, encoding="utf-8")
    line = one_line_error(run("check", revised(tmp_path), "--baseline", base))
    assert line.startswith(f"planaudit: {base}: ") and cause in line, line


def test_baseline_and_explain_do_not_go_together(tmp_path: Path) -> None:
    base = saved_run(tmp_path)
    line = one_line_error(run("check", revised(tmp_path), "--baseline", base, "--explain", "costs"))
    assert "--baseline" in line and "--explain" in line


# --- the key ------------------------------------------------------------------------------------


def _finding(section: str | None, evidence: str | None, page: int | None = 3, line: int | None = 40) -> Finding:
    return Finding(rule="PA004", criterion="costs", severity="warning", message="Mangler kostnad.",
                   location=FindingLocation(page=page, line=line, section=section), evidence=evidence)


def test_key_ignores_pages_lines_folders_chapter_numbers_case_and_spacing() -> None:
    original = _finding("Plan > 3 Tiltak > 3.1 Boliger", "Kjøpe fire  utleieboliger.")
    same = [
        ("planer/2025/lynghaug.pdf", _finding("Plan > 3 Tiltak > 3.1 Boliger", "Kjøpe fire  utleieboliger.",
                                              page=9, line=2)),
        ("C:\\Planer\\lynghaug.pdf", original),
        ("lynghaug.pdf", _finding("Plan > 4. Tiltak > 4.1. Boliger", "KJØPE FIRE utleieboliger.")),
        ("lynghaug.pdf", _finding("Plan > 12 Tiltak > 12.3 Boliger", "Kjøpe\nfire utleieboliger.")),
    ]
    key = finding_key("arkiv/lynghaug.pdf", original)
    assert all(finding_key(path, finding) == key for path, finding in same)
    assert finding_key("fjordby.pdf", original) != key
    moved = _finding("Plan > 3 Tiltak > 3.2 Oppfølging", "Kjøpe fire utleieboliger.")
    assert finding_key("lynghaug.pdf", moved) != key
    assert finding_key("lynghaug.pdf", _finding("Plan > 3 Tiltak > 3.1 Boliger", "Kjøpe fem utleieboliger.")) != key
    assert logical_section("2026–2029 plan > 3.1 Boliger") == "2026–2029 plan > boliger"


def test_sarif_fingerprint_uses_the_same_identity() -> None:
    original = _finding("Plan > 3 Tiltak > 3.1 Boliger", "Kjøpe fire utleieboliger.")
    renumbered = _finding("Plan > 4 Tiltak > 4.1 Boliger", "kjøpe  fire utleieboliger.", page=5, line=None)
    assert finding_fingerprint(original) == finding_fingerprint(renumbered)
    assert finding_fingerprint(original) != finding_fingerprint(_finding("Plan > 3 Tiltak > 3.1 Boliger", "Annet."))
