"""The author kit: test rules and rule packs the way planaudit tests its own.

Write a YAML case file per rule (see :mod:`planaudit.testing._cases` for the format) in a
folder named ``rule_cases``; with planaudit installed, pytest collects it (the plugin is
registered through the ``pytest11`` entry point). Or call :func:`check_case` and
:func:`audit_text` from your own tests.
"""
from ._cases import CaseError, RuleCase, audit_text, check_case, load_cases

__all__ = ["CaseError", "RuleCase", "audit_text", "check_case", "load_cases"]
