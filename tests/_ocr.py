"""What the OCR tests share: the fixture folders, the scanned-fixture generator, and the
rule that a test needing Tesseract skips without it, or fails where it is required (CI sets
``PLANAUDIT_REQUIRE_OCR=1`` after installing Debian's tesseract-ocr and tesseract-ocr-nor)."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from planaudit.ingest import ocr_status

__all__ = ["FIXTURES", "PLANS", "require_ocr", "status_looked_up_again"]

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PLANS = FIXTURES / "plans" / "formats"
sys.path.insert(0, str(FIXTURES))  # fixtures/scanned.py, imported as ``scanned``


def require_ocr(osd: bool = False) -> None:
    """Skip (or fail, where OCR is required) unless Tesseract with the Norwegian model, and
    with ``osd`` its orientation model, is installed."""
    status = ocr_status()
    if status.ready() and (status.osd or not osd):
        return
    models = "Norwegian and OSD models" if osd else "Norwegian model"
    reason = f"Tesseract with the {models} is not installed (apt-get install tesseract-ocr tesseract-ocr-nor)"
    if os.environ.get("PLANAUDIT_REQUIRE_OCR") == "1":
        pytest.fail(reason + ", and PLANAUDIT_REQUIRE_OCR=1 requires it")
    pytest.skip(reason)


@pytest.fixture(scope="module", autouse=True)
def status_looked_up_again() -> Iterator[None]:
    """OCR's status is cached for the process: cleared after each module that imports this,
    so a later test that takes Tesseract off PATH sees it gone rather than this answer."""
    yield
    ocr_status.cache_clear()
