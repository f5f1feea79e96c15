"""``planaudit doctor``: which optional parts of planaudit this machine has, and how to get
the ones it lacks."""
from __future__ import annotations

import importlib.util
import json
import platform
from dataclasses import asdict, dataclass

import click
from tabulate import tabulate

from ..engine import default_registry, version
from ..ingest import ocr_status
from ._common import emit, guarded, t

__all__ = ["doctor"]


@dataclass(frozen=True)
class _Part:
    name: str
    ready: bool
    detail: str
    install: str | None


@click.command()
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table",
              help="Utformat: table (standard) eller json.")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", help="Språk: nb (standard) eller en.")
@guarded
def doctor(fmt: str, lang: str) -> None:
    """Vis hvilke valgfrie deler som er installert: OCR for skannede planer (Tesseract med
    norsk), PostgreSQL for historikken, og tillegg som ikke kunne lastes."""
    parts = _parts(lang)
    if fmt == "json":
        emit(json.dumps({"planaudit": version(), "python": platform.python_version(),
                         "parts": [asdict(part) for part in parts]}, ensure_ascii=False, indent=2) + "\n", None)
        return
    rows = [[part.name, t(lang, "ja", "yes") if part.ready else t(lang, "NEI", "NO"), part.detail, part.install or ""]
            for part in parts]
    headers = [t(lang, "Del", "Part"), t(lang, "Klar", "Ready"), t(lang, "Detaljer", "Details"),
               t(lang, "Installer med", "Install with")]
    emit(f"planaudit {version()} (Python {platform.python_version()})\n\n"
         + tabulate(rows, headers=headers, tablefmt="simple") + "\n", None)


def _parts(lang: str) -> list[_Part]:
    return [*_ocr_parts(lang), _postgres(lang), _plugins(lang)]


def _ocr_parts(lang: str) -> list[_Part]:
    status = ocr_status()
    wrapper = _Part("pytesseract", status.pytesseract,
                    t(lang, "OCR av skannede PDF-sider (--ocr)", "OCR of scanned PDF pages (--ocr)"),
                    None if status.pytesseract else "pip install 'planaudit[ocr]'")
    engine = _Part("tesseract", status.tesseract is not None,
                   f"{status.tesseract_version} ({status.tesseract})" if status.tesseract else
                   t(lang, "ikke funnet på PATH", "not found on PATH"),
                   None if status.tesseract else "apt-get install tesseract-ocr")
    norwegian = "nor" in status.languages
    model = _Part(t(lang, "tesseract: norsk", "tesseract: Norwegian"), norwegian,
                  t(lang, "språk: ", "languages: ") + (", ".join(status.languages) or "–"),
                  None if norwegian else "apt-get install tesseract-ocr-nor")
    turned = _Part(t(lang, "tesseract: sideretning (osd)", "tesseract: page orientation (osd)"), status.osd,
                   t(lang, "sider skannet på skrå eller opp ned", "pages scanned sideways or upside down"),
                   None if status.osd else "apt-get install tesseract-ocr")
    return [wrapper, engine, model, turned]


def _postgres(lang: str) -> _Part:
    ready = importlib.util.find_spec("psycopg") is not None
    return _Part("psycopg", ready,
                 t(lang, "historikken i PostgreSQL (PLANAUDIT_DATABASE_URL)", "the history in PostgreSQL "
                   "(PLANAUDIT_DATABASE_URL)"),
                 None if ready else "pip install 'planaudit[postgres]'")


def _plugins(lang: str) -> _Part:
    registry = default_registry()
    failures = registry.failures
    detail = t(lang, f"{len(registry.rules)} regler lastet", f"{len(registry.rules)} rules loaded")
    if failures:
        detail += "; " + "; ".join(failure.message(lang) for failure in failures)
    return _Part(t(lang, "tillegg", "plugins"), not failures, detail, None)
