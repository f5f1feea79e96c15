"""Shared fixtures: the hand-written plans in fixtures/ and the labelled corpus next door."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent.parent / "fixtures"
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def plans_dir() -> Path:
    """Invented plans: god_plan (.md/.yaml/.json), svak_plan.md, nynorsk_plan.md."""
    return FIXTURES / "plans"


@pytest.fixture
def broken_dir() -> Path:
    """Files a user might feed by mistake: broken YAML, schema violations, empty, binary."""
    return FIXTURES / "broken"


@pytest.fixture
def corpus_dir() -> Path:
    """The labelled real plans in ../shared/corpus; tests using it skip when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"labelled corpus not found at {CORPUS} (../shared/corpus from the repo root)")
    return CORPUS


@pytest.fixture
def isolated_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder with no debug switch, so no planaudit.toml or pyproject.toml
    around the repository changes what a command-line test sees."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PLANAUDIT_DEBUG", raising=False)
    return tmp_path


# A PostgreSQL server for the history and web tests, or a skip that says how to get one.
from _postgres import postgres_server, postgres_url  # noqa: E402, F401
