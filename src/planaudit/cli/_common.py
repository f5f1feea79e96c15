"""What every command shares: the language, configuration, and one-line errors with exit 2."""
from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..engine import Config, Registry, audit_options
from ..engine import load_settings as engine_settings
from ..errors import PlanauditError, UsageError

__all__ = [
    "CONFIG", "EXIT_CLEAN", "EXIT_ERROR", "EXIT_FINDINGS", "IGNORE", "MAX_SIZE", "OCR", "PROFILE", "RULE_PACKS", "SELECT",
    "STRICT", "ByteSize", "audit_options", "emit", "fail", "guarded", "load_settings", "t",
]

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
F = TypeVar("F", bound=Callable[..., Any])


def t(lang: str, nb: str, en: str) -> str:
    return en if lang == "en" else nb


def fail(message: str) -> None:
    click.echo(f"planaudit: {message}", err=True)
    sys.exit(EXIT_ERROR)


def guarded(command: F) -> F:
    """Known errors become one line and exit 2; so do unexpected ones, unless debugging."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        lang = kwargs.get("lang") or "nb"
        try:
            return command(*args, **kwargs)
        except PlanauditError as err:
            fail(err.message(lang))
        except Exception as err:  # the user gets one line; PLANAUDIT_DEBUG=1 shows the traceback
            if os.environ.get("PLANAUDIT_DEBUG"):
                raise
            fail(t(lang, f"intern feil: {type(err).__name__}: {err} (PLANAUDIT_DEBUG=1 viser detaljer)",
                   f"internal error: {type(err).__name__}: {err} (PLANAUDIT_DEBUG=1 shows details)"))

    return wrapper  # type: ignore[return-value]


def load_settings(config_path: Path | None, strict: bool, lang: str,
                  rule_packs: tuple[Path, ...] = ()) -> tuple[Registry, Config]:
    """The engine's settings, with each plugin that failed to load one line on stderr."""
    registry, config = engine_settings(config_path, strict=strict, lang=lang, rule_packs=rule_packs)
    for failure in registry.failures:
        click.echo(f"planaudit: {failure.message(lang)}", err=True)
    return registry, config


RULE_PACKS = click.option(
    "--rules", "rule_packs", multiple=True, type=click.Path(path_type=Path), metavar="PAKKE.yaml",
    help="Egen regelpakke (YAML) i tillegg til de installerte; kan gis flere ganger.")

# The options every command that audits plans shares (check, diff), spelled once.
PROFILE = click.option("--profile", "-p", default=None, help="Vektingsprofil: kommune (standard) eller husbanken.")
SELECT = click.option("--select", multiple=True, help="Kjør bare disse reglene/kriteriene (ID-er, kommaseparert).")
IGNORE = click.option("--ignore", multiple=True, help="Hopp over disse reglene/kriteriene (ID-er, kommaseparert).")
STRICT = click.option("--strict", is_flag=True, help="Avslutt med 2 når et tillegg ikke kan lastes.")
OCR = click.option("--ocr", is_flag=True,
                   help="Les PDF-sider uten brukbart tekstlag (skannet, bilder) med OCR (Tesseract, norsk). "
                        "Krever pip install 'planaudit[ocr]' og apt-get install tesseract-ocr tesseract-ocr-nor.")
CONFIG = click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                      help="Konfigurasjonsfil (standard: planaudit.toml eller pyproject.toml funnet oppover).")


def emit(text: str, output: Path | None) -> None:
    """Text to standard output, or to a file; a file that cannot be written is one line."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as err:
        raise UsageError(str(output), f"kan ikke skrive filen ({err.strerror})",
                         f"cannot write the file ({err.strerror})") from None


class ByteSize(click.ParamType):
    """A size in bytes written as people write it: 2000000, 500kB, 50MB, 1GB. Units count in
    1024s, as the default limit (100 MB = 100 × 1024 × 1024 bytes) does."""

    name = "størrelse"
    _UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "m": 1024**2, "mb": 1024**2, "g": 1024**3, "gb": 1024**3}

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        match = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*([a-zA-Z]*)\s*", str(value))
        unit = match.group(2).lower() if match else ""
        size = int(float(match.group(1).replace(",", ".")) * self._UNITS[unit]) if match and unit in self._UNITS else 0
        if size < 1:
            self.fail(f"{value!r} er ingen størrelse (minst 1 byte); skriv f.eks. 50MB eller 500kB "
                      f"/ not a size (at least 1 byte); write e.g. 50MB or 500kB", param, ctx)
        return size


MAX_SIZE = click.option(
    "--max-size", type=ByteSize(), default=None,
    help="Største filstørrelse som leses, f.eks. 50MB (1 MB = 1024 × 1024 byte; standard 100MB, eller max_bytes i "
         "konfigurasjonen).")
