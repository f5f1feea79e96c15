"""What the history tests share: a store in a temporary folder, never the user's own, and
reports of the fixture plans with the municipality a test needs."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from planaudit.engine import audit
from planaudit.model import AuditReport

__all__ = ["GOOD", "WEAK", "isolated_history", "report_of", "with_municipality"]

PLANS = Path(__file__).resolve().parent.parent / "fixtures" / "plans"
GOOD = PLANS / "god_plan.md"
WEAK = PLANS / "svak_plan.md"

_REPORTS: dict[Path, AuditReport] = {}


def report_of(path: Path) -> AuditReport:
    """The fixture plan's report, audited once per session."""
    if path not in _REPORTS:
        _REPORTS[path] = audit(path)
    return _REPORTS[path]


def with_municipality(report: AuditReport, municipality: str | None, score: int | None = None) -> AuditReport:
    """The same report as if of another municipality (and score)."""
    update: dict[str, object] = {"plan": report.plan.model_copy(update={"municipality": municipality})}
    if score is not None:
        update["score"] = score
    return report.model_copy(update=update)


@pytest.fixture
def isolated_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The user's data folder moved into tmp_path, and no database from the environment:
    a test never reads or writes the real history. Yields the data folder."""
    data = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.delenv("PLANAUDIT_DATABASE_URL", raising=False)
    from planaudit.history._location import default_sqlite_path

    assert data in default_sqlite_path().parents, "the default history would not be in tmp_path"
    yield data
