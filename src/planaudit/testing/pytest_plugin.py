"""The planaudit pytest plugin (entry point ``pytest11``), for rule and plugin authors.

- Case files: every ``*.yml``/``*.yaml`` file in a folder named ``rule_cases`` (or the
  names in the ini option ``planaudit_case_dirs``) is collected, one test per case.
- Fixture ``planaudit_audit``: ``planaudit_audit(text, rule="XX001", rule_packs=[...])``
  audits a plan text and returns the AuditReport.
- Fixture ``planaudit_case``: ``planaudit_case(path)`` runs every case of a case file.

It imports planaudit only when a test needs it, so pytest runs in an environment where
planaudit is installed stay as fast as before.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

__all__ = ["CaseFile", "CaseItem"]

_DEFAULT_DIRS = ("rule_cases",)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("planaudit_case_dirs", type="args", default=list(_DEFAULT_DIRS),
                  help="names of folders whose YAML files are planaudit rule cases (default: rule_cases)")


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> CaseFile | None:
    if file_path.suffix not in (".yml", ".yaml"):
        return None
    if file_path.parent.name not in parent.config.getini("planaudit_case_dirs"):
        return None
    return CaseFile.from_parent(parent, path=file_path)


class CaseFile(pytest.File):
    def collect(self) -> Iterator[CaseItem]:
        from ._cases import load_cases

        for case in load_cases(self.path):
            yield CaseItem.from_parent(self, name=case.name, case=case)


class CaseItem(pytest.Item):
    def __init__(self, *, case: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        from ._cases import check_case

        check_case(self.case)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        from ._cases import CaseError

        if isinstance(excinfo.value, CaseError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.case.rule}: {self.name}"


@pytest.fixture
def planaudit_audit() -> Callable[..., Any]:
    """Audit a plan text: ``planaudit_audit(text, rule=None, rule_packs=(), name="plan.md", lang="nb")``."""
    from ._cases import audit_text

    return audit_text


@pytest.fixture
def planaudit_case() -> Callable[[Path | str], list[Any]]:
    """Run every case of a case file; fails with what differed."""
    from ._cases import check_case, load_cases

    def run(path: Path | str) -> list[Any]:
        return [check_case(case) for case in load_cases(Path(path))]

    return run
