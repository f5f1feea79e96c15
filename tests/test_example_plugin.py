"""The example plugin in plugins/ installs and works the way a third-party plugin would.

A fresh virtual environment gets the plugin (``pip install``, not editable, from a copy so
no build litter lands in the repository) and sees planaudit and its dependencies through
a ``.pth`` file that adds this environment's site-packages: nothing is downloaded and
planaudit is not reinstalled. In that environment the plugin must be listed by
``planaudit plugins``, judge the Danish fixture plans under its profile, leave a Norwegian
plan's audit as it was, and pass its own tests. This environment must not see it.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import shutil
import site
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import planaudit

REPO = Path(__file__).resolve().parent.parent
PLUGIN = REPO / "plugins" / "planaudit-dk-helhedsplan"
DISTRIBUTION = "planaudit-dk-helhedsplan"
DK_CRITERIA = ("dk_coherence", "dk_organisation", "dk_documentation", "dk_roles")
PACK_RULES = ["DK101", "DK102", "DK103", "DK111", "DK112", "DK113", "DK121", "DK122", "DK123", "DK124",
              "DK131", "DK132", "DK133"]
NORWEGIAN_PLAN = REPO / "fixtures" / "plans" / "god_plan.md"
_LITTER = ("build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache")


@dataclass(frozen=True)
class Installed:
    """The fresh environment with the plugin installed, and the copy it was installed from."""

    python: Path
    source: Path
    workdir: Path

    def run(self, *args: str | Path, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.python), *map(str, args)], cwd=cwd or self.workdir, env=_environment(),
                              capture_output=True, text=True, timeout=timeout, check=False)


def _environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "PLANAUDIT_"))}
    return {**env, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1", "PYTHONDONTWRITEBYTECODE": "1"}


def _missing_build_tools() -> str | None:
    """Why setuptools cannot build the plugin here without a network, or None when it can.

    Building a wheel needs ``bdist_wheel``: part of setuptools from 70.1, before that in
    the ``wheel`` package. The ``test`` extra in pyproject.toml lists both.
    """
    if importlib.util.find_spec("setuptools") is None:
        return "setuptools is not installed"
    version = importlib.metadata.version("setuptools")
    parts = tuple(int(part) for part in version.split(".")[:2] if part.isdigit())
    if parts < (70, 1) and importlib.util.find_spec("wheel") is None:
        return f"setuptools {version} needs the wheel package to build a wheel, and wheel is not installed"
    return None


def _make_venv(root: Path) -> Path:
    """A fresh environment without pip of its own; pip comes from this one through the .pth file."""
    try:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True,
                       capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as err:
        pytest.skip(f"cannot create a virtual environment here: {err}")
    return root / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _link_this_environment(python: Path) -> None:
    """Make this environment's packages importable in the new one, after its own.

    ``site.addsitedir`` rather than a bare path line: planaudit is installed in editable
    mode, and its import finder is set up by a .pth file in this site-packages, which is
    only run when the folder is added as a site directory.
    """
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True, env=_environment()).stdout.strip()
    lines = [f"import site; site.addsitedir({path!r})" for path in site.getsitepackages()]
    Path(purelib).mkdir(parents=True, exist_ok=True)
    (Path(purelib) / "_planaudit_main_environment.pth").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    missing = _missing_build_tools()
    if missing:
        pytest.fail(f"cannot build the example plugin: {missing}. Install the test extra: pip install -e '.[test]'")
    root = tmp_path_factory.mktemp("example-plugin")
    python = _make_venv(root / "venv")
    _link_this_environment(python)
    source = Path(shutil.copytree(PLUGIN, root / "planaudit-dk-helhedsplan", ignore=shutil.ignore_patterns(*_LITTER)))
    env = Installed(python, source, root)
    result = env.run("-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index", "-q", source)
    assert result.returncode == 0, f"pip install failed:\n{result.stdout}\n{result.stderr}"
    return env


def _json(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, f"exit {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return json.loads(result.stdout)


def test_the_plugin_is_listed_with_its_version_and_registrations(installed: Installed) -> None:
    data = _json(installed.run("-m", "planaudit", "plugins", "--format", "json"))
    assert data["failures"] == []
    (row,) = [row for row in data["plugins"] if row["distribution"] == DISTRIBUTION]
    assert (row["plugin"], row["version"]) == ("helhedsplan", "0.1.0")
    assert row["rules"] == ["DK001"]
    assert row["packs"] == [{"pack": "helhedsplan", "version": "0.1.0", "rules": PACK_RULES}]
    assert row["profiles"] == ["landsbyggefonden"]


def test_danish_plans_are_judged_on_the_danish_criteria(installed: Installed) -> None:
    fixtures = installed.source / "tests" / "fixtures"
    good, weak = _json(installed.run("-m", "planaudit", "check", fixtures / "god_helhedsplan.md",
                                     fixtures / "svag_helhedsplan.md", "--profile", "landsbyggefonden",
                                     "--format", "json"))
    for report in (good, weak):
        assert report["profile"] == "landsbyggefonden"
        assert set(report["criteria"]) == set(DK_CRITERIA)  # the profile runs only the Danish criteria
        assert report["criteria"]["dk_coherence"]["weight"] == 3
        assert not [note for note in report["notifications"] if "dansk" in note["message"]]
    assert {cid: good["criteria"][cid]["level"] for cid in DK_CRITERIA} == dict.fromkeys(DK_CRITERIA, 2)
    assert good["passed"] is True and good["score"] >= 90
    assert {cid: weak["criteria"][cid]["level"] for cid in DK_CRITERIA} == dict.fromkeys(DK_CRITERIA, 0)
    assert weak["passed"] is False and weak["score"] < 30
    unlinked = [f for f in weak["findings"] if f["rule"] == "DK001"]
    assert len(unlinked) == 4
    assert unlinked[0]["location"]["section"] == "Helhedsplan for Vestervang > Aktiviteter"
    assert unlinked[0]["evidence"] == "Lektiecafé om eftermiddagen"


def test_a_norwegian_plan_is_audited_as_before(installed: Installed) -> None:
    report = _json(installed.run("-m", "planaudit", "check", NORWEGIAN_PLAN, "--format", "json"))
    before = planaudit.audit(NORWEGIAN_PLAN)
    assert not set(report["criteria"]) & set(DK_CRITERIA)
    assert not [f for f in report["findings"] if f["rule"].startswith("DK")]
    assert report["score"] == before.score


def test_the_plugin_passes_its_own_tests(installed: Installed) -> None:
    result = installed.run("-m", "pytest", installed.source / "tests", "-q", "-p", "no:cacheprovider",
                           cwd=installed.source)
    assert result.returncode == 0, f"the plugin's tests failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"
    summary = result.stdout.strip().splitlines()[-1]
    assert "passed" in summary and "skipped" not in summary and "failed" not in summary, summary


def test_this_environment_does_not_see_the_plugin(installed: Installed) -> None:
    with pytest.raises(importlib.metadata.PackageNotFoundError):
        importlib.metadata.distribution(DISTRIBUTION)
    assert importlib.util.find_spec("planaudit_dk") is None
    assert not [ep for ep in importlib.metadata.entry_points(group="planaudit") if ep.value.startswith("planaudit_dk")]
    assert not [path for pattern in ("*.egg-info", "build") for path in PLUGIN.rglob(pattern)]
