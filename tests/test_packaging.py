"""What a wheel ships: every package under src/, and the rule packs from rules/."""
from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SETUPTOOLS = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_the_package_list_names_every_package_under_src() -> None:
    found = {".".join(path.parent.relative_to(REPO / "src").parts)
             for path in (REPO / "src").rglob("__init__.py")}
    assert set(SETUPTOOLS["packages"]) == found | {"planaudit.packs"}


def test_the_rule_packs_are_installed_from_rules() -> None:
    assert SETUPTOOLS["package-dir"]["planaudit.packs"] == "rules"
    installed = {entry.name for entry in resources.files("planaudit.packs").iterdir() if entry.name.endswith(".yaml")}
    assert installed == {path.name for path in (REPO / "rules").glob("*.yaml")}
