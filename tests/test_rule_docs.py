"""The rule reference (docs/rules) is generated from rule metadata and must not go stale."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from planaudit.cli import cli
from planaudit.engine import default_registry

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs" / "rules"
REGENERATE = "planaudit rules docs --plugin planaudit -o docs/rules"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def generated(folder: Path, *options: str) -> dict[str, str]:
    result = run("rules", "docs", "-o", folder, "--plugin", "planaudit", *options)
    assert result.exit_code == 0, result.output
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.md"))}


def test_checked_in_rule_docs_are_current(tmp_path: Path) -> None:
    checked_in = {path.name: path.read_text(encoding="utf-8") for path in sorted(DOCS.glob("*.md"))}
    fresh = generated(tmp_path)
    stale = sorted(name for name in fresh.keys() | checked_in.keys() if fresh.get(name) != checked_in.get(name))
    assert not stale, f"docs/rules is stale ({', '.join(stale)}); regenerate with: {REGENERATE}"


def test_every_builtin_rule_has_a_page_linked_from_the_index(tmp_path: Path) -> None:
    pages = generated(tmp_path)
    builtin = {info.id for info in default_registry().rule_infos() if info.plugin.startswith("planaudit:")}
    assert set(pages) == {"index.md"} | {f"{rid}.md" for rid in builtin}
    assert set(re.findall(r"\]\((\w+)\.md\)", pages["index.md"])) == builtin


@pytest.mark.parametrize("rule_id", ["PA004", "BSL001", "PBL004"])
def test_a_rule_page_has_criterion_rationale_citation_examples_and_configuration(tmp_path: Path, rule_id: str) -> None:
    page = generated(tmp_path)[f"{rule_id}.md"]
    info = next(i for i in default_registry().rule_infos() if i.id == rule_id)
    assert page.startswith(f"# {rule_id} — {info.summary}")
    assert f"(`{info.criterion}`)" in page and info.citation in page
    for heading in ("## Begrunnelse", "## Eksempler", "## Konfigurasjon"):
        assert heading in page
    assert f"--select {rule_id}" in page and f"planaudit-godta {rule_id}:" in page
    assert "**Svakt:**" in page and "**Godt:**" in page


def test_pack_rule_pages_show_the_check(tmp_path: Path) -> None:
    page = generated(tmp_path)["BSL001.md"]
    assert "```yaml\ntype: conditional" in page and "boligsosialloven.yaml" in page


def test_english_docs(tmp_path: Path) -> None:
    index = generated(tmp_path, "--lang", "en")["index.md"]
    assert index.startswith("# Rules") and "| Rule | What it checks |" in index


def test_unknown_plugin_is_one_line(tmp_path: Path) -> None:
    result = run("rules", "docs", "-o", tmp_path, "--plugin", "finnes-ikke")
    assert result.exit_code == 2 and "ingen regler fra 'finnes-ikke'" in result.stderr
