"""Lower layers never import higher ones (DESIGN.md): model ← ingest ← extract ← engine ←
rules/report ← cli/web.

Checked twice: by import-linter running the layers contract from pyproject.toml, and by a
small pure-Python walk over the source with ``ast`` that needs nothing but the standard
library (and also catches imports hidden inside functions).
"""
from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import planaudit

REPO = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(planaudit.__file__).resolve().parent
SRC = PACKAGE_DIR.parent

# What each lower layer must never import (DESIGN.md, "Layers").
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "planaudit.model": ("ingest", "extract", "engine", "rules", "report", "cli", "web"),
    "planaudit.ingest": ("extract", "engine", "rules", "report", "cli", "web"),
    "planaudit.extract": ("engine", "rules", "report", "cli", "web"),
    "planaudit.engine": ("rules", "report", "history", "cli", "web", "testing"),
    "planaudit.rules": ("cli", "web", "testing"),
    "planaudit.report": ("cli", "web", "testing"),
    "planaudit.history": ("rules", "report", "cli", "web", "testing"),
    "planaudit.web": ("cli", "testing"),
    "planaudit.errors": ("ingest", "extract", "engine", "rules", "report", "cli", "web"),
}


# --- import-linter ----------------------------------------------------------------------------


def _module_exists(name: str) -> bool:
    relative = Path(*name.split("."))
    return (SRC / relative).with_suffix(".py").is_file() or (SRC / relative / "__init__.py").is_file()


def _mark_absent_layers_optional(layer: str) -> str:
    """'planaudit.rules | planaudit.report' with each module that does not exist yet wrapped
    in parentheses, import-linter's mark for an optional layer."""
    parts = re.split(r"(\s*[|:]\s*)", layer)
    out = []
    for part in parts:
        name = part.strip()
        if name and name not in "|:" and not name.startswith("(") and not _module_exists(name):
            part = f"({name})"
        out.append(part)
    return "".join(out)


def _contract_config(tmp_path: Path) -> tuple[Path, list[str]]:
    """The [tool.importlinter] section of pyproject.toml, with layers not yet written
    (e.g. planaudit.cli while it is being built) marked optional, as a config file."""
    settings = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    contracts = settings["contracts"]
    assert contracts, "pyproject.toml has no import-linter contracts"
    absent: list[str] = []
    lines = ["[tool.importlinter]", f"root_package = {json.dumps(settings['root_package'])}", ""]
    for contract in contracts:
        lines.append("[[tool.importlinter.contracts]]")
        for key, value in contract.items():
            if key == "layers":
                marked = [_mark_absent_layers_optional(layer) for layer in value]
                absent += [m for layer, m in zip(value, marked) if layer != m]
                value = marked
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
        lines.append("")
    config = tmp_path / "importlinter.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    return config, absent


def _lint_imports(*args: str) -> subprocess.CompletedProcess[str]:
    """Run import-linter 2.x's CLI with this interpreter. (``python -m importlinter.cli`` is
    not a runner in 2.x: it imports the module and exits 0 without checking anything.)"""
    code = (
        "import sys; from importlinter.cli import lint_imports_command; "
        "sys.argv[0] = 'lint-imports'; sys.exit(lint_imports_command())"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True, text=True, cwd=REPO, timeout=300,
    )


def test_import_linter_layers_contract_from_pyproject_holds(tmp_path: Path) -> None:
    pytest.importorskip("importlinter")
    config, absent = _contract_config(tmp_path)
    result = _lint_imports("--config", str(config), "--no-cache", "--no-logo")
    report = result.stdout + result.stderr
    assert result.returncode == 0, f"import-linter failed (absent layers made optional: {absent}):\n{report}"
    assert "Layers import only downwards" in report
    assert re.search(r"Contracts: 1 kept, 0 broken", report), report


def test_import_linter_catches_a_broken_contract(tmp_path: Path) -> None:
    """The runner above really checks: the same command fails on a contract that is broken
    (model above ingest, the wrong way round)."""
    pytest.importorskip("importlinter")
    config = tmp_path / "reversed.toml"
    config.write_text(
        "[tool.importlinter]\nroot_package = \"planaudit\"\n\n"
        "[[tool.importlinter.contracts]]\nname = \"reversed\"\ntype = \"layers\"\n"
        "layers = [\"planaudit.model\", \"planaudit.ingest\"]\n",
        encoding="utf-8",
    )
    result = _lint_imports("--config", str(config), "--no-cache", "--no-logo")
    assert result.returncode != 0
    assert "BROKEN" in result.stdout + result.stderr


# --- pure-Python fallback ---------------------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute module name) for every import in a module's source, relative
    imports resolved; for ``from X import name`` both X and X.name are listed."""
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                if node.level > 1:
                    base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts)
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names if alias.name != "*"]
    return found


def layer_violations(source: str, module: str, is_package: bool) -> list[str]:
    layer = next((name for name in FORBIDDEN if module == name or module.startswith(name + ".")), None)
    if layer is None:
        return []
    bad = tuple(f"planaudit.{name}" for name in FORBIDDEN[layer])
    return sorted({
        f"{module}:{line} imports {target}"
        for line, target in imported_modules(source, module, is_package)
        if any(target == b or target.startswith(b + ".") for b in bad)
    })


def _source_files() -> list[Path]:
    return sorted(path for path in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in path.parts)


def test_source_tree_is_found() -> None:
    modules = {_module_name(path) for path in _source_files()}
    assert {"planaudit.model", "planaudit.ingest", "planaudit.extract", "planaudit.engine"} <= modules
    assert "planaudit.ingest.markdown" in modules


def test_lower_layers_never_import_higher_ones() -> None:
    violations: list[str] = []
    for path in _source_files():
        violations += layer_violations(
            path.read_text(encoding="utf-8"), _module_name(path), path.name == "__init__.py"
        )
    assert violations == [], "layer contract broken:\n" + "\n".join(violations)


@pytest.mark.parametrize(
    ("module", "is_package", "source", "expected"),
    [
        ("planaudit.ingest.markdown", False, "from ..engine import rule\n", ["planaudit.engine.rule"]),
        ("planaudit.ingest.markdown", False, "from .. import extract\n", ["planaudit.extract"]),
        ("planaudit.model", True, "from ..report import x\n", ["planaudit.report"]),
        ("planaudit.model._plan", False, "import planaudit.cli\n", ["planaudit.cli"]),
        ("planaudit.extract._plan", False, "def f():\n    from planaudit.rules import x\n", ["planaudit.rules"]),
        ("planaudit.engine.rule", False, "from planaudit import report\n", ["planaudit.report"]),
        ("planaudit.errors", False, "from .ingest import Source\n", ["planaudit.ingest"]),
    ],
)
def test_fallback_check_sees_upward_imports(module: str, is_package: bool, source: str, expected: list[str]) -> None:
    violations = layer_violations(source, module, is_package)
    assert violations, f"{source!r} in {module} should break the contract"
    assert any(target in violation for violation in violations for target in expected)


@pytest.mark.parametrize(
    ("module", "is_package", "source"),
    [
        ("planaudit.ingest.markdown", False, "from ..model import Document\nfrom ..errors import InputError\n"),
        ("planaudit.extract._plan", False, "from ..ingest import Source\nfrom . import mentions\n"),
        ("planaudit.engine", True, "from .rule import Rule\nfrom ..extract import extract_plan\n"),
        ("planaudit.model", True, "from ._plan import Plan\nimport pydantic\n"),
    ],
)
def test_fallback_check_allows_downward_imports(module: str, is_package: bool, source: str) -> None:
    assert layer_violations(source, module, is_package) == []
