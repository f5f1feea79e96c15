"""``planaudit init``: write a plan skeleton (or a filled example) to start a plan from."""
from __future__ import annotations

import shlex
from pathlib import Path

import click

from ..errors import UsageError
from ..skeleton import FORMATS, PlanText, municipality_name, parse_period, render
from ._common import guarded

__all__ = ["init"]

_DEFAULT_NAMES = {"nb": "boligsosial-handlingsplan", "nn": "bustadsosial-handlingsplan"}
_LANGUAGE_NAMES = {"nb": "bokmål", "nn": "nynorsk"}


@click.command(name="init")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--lang", type=click.Choice(["nb", "nn"]), default="nb", show_default=True,
              help="Målform i planen: nb (bokmål) eller nn (nynorsk).")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default=None,
              help="md (Markdown) eller docx (Word). Standard: etter filendelsen i PATH, ellers md.")
@click.option("--municipality", "-m", metavar="NAVN", default=None,
              help="Kommunens navn, f.eks. Fjellvik; settes inn i tittelen og teksten.")
@click.option("--period", metavar="ÅÅÅÅ-ÅÅÅÅ", default=None, help="Planperioden, f.eks. 2026-2029.")
@click.option("--example", is_flag=True,
              help="Skriv et utfylt, oppdiktet eksempel i stedet for en tom mal.")
@click.option("--force", is_flag=True, help="Overskriv filen hvis den finnes.")
@guarded
def init(path: Path | None, lang: str, fmt: str | None, municipality: str | None, period: str | None,
         example: bool, force: bool) -> None:
    """Skriv en mal for en boligsosial handlingsplan (Markdown eller Word).

    Malen følger strukturen forskningen anbefaler: innledning og forankring,
    kunnskapsgrunnlag, medvirkning, mål, strategier, tiltakstabell med Ansvarlig,
    Tidsfrist og Kostnad, organisering, økonomi og oppfølging. Kursiv veiledning i hvert
    kapittel sier hva som skal stå der. PATH er filen som skrives (standard:
    boligsosial-handlingsplan.md, eller bustadsosial-handlingsplan.md med --lang nn);
    en mappe får filen med standardnavnet.

    Eksempel: planaudit init plan.docx --municipality Fjellvik --period 2026-2029
    """
    target, chosen = _target(path, fmt, lang)
    plan = PlanText(kind="example" if example else "skeleton", lang=lang, fmt=chosen,
                    municipality=municipality_name(municipality) if municipality is not None else None,
                    period=parse_period(period) if period is not None else None)
    _write(target, render(plan), force)
    check = f"planaudit check {shlex.quote(str(target))}"
    click.echo(f"Skrev {target} (utfylt eksempel, {_LANGUAGE_NAMES[lang]}). Se hvordan det vurderes: {check}"
               if example else f"Skrev {target} (mal, {_LANGUAGE_NAMES[lang]}). Fyll ut og kjør: {check}")


def _target(path: Path | None, fmt: str | None, lang: str) -> tuple[Path, str]:
    """The file to write and its format: from --format, else from the file's extension, else md."""
    if path is not None and path.is_dir():
        path = path / _DEFAULT_NAMES[lang]
    suffix = path.suffix.lower().lstrip(".") if path is not None else ""
    known = {"markdown": "md"}.get(suffix, suffix) if suffix in (*FORMATS, "markdown") else None
    if fmt is not None and known is not None and known != fmt:
        raise UsageError(str(path), f"filendelsen .{suffix} passer ikke med --format {fmt}",
                         f"the extension .{suffix} does not match --format {fmt}")
    chosen = fmt or known or "md"
    if path is None or path.name == _DEFAULT_NAMES[lang]:
        path = (path or Path(_DEFAULT_NAMES[lang])).with_suffix(f".{chosen}")
    return path, chosen


def _write(target: Path, data: bytes, force: bool) -> None:
    """Never overwrite without --force; a file that cannot be written is one line."""
    try:
        with target.open("wb" if force else "xb") as handle:
            handle.write(data)
    except FileExistsError:
        raise UsageError(str(target), "finnes allerede; bruk --force for å overskrive",
                         "already exists; use --force to overwrite") from None
    except IsADirectoryError:
        raise UsageError(str(target), "er en mappe", "is a directory") from None
    except OSError as err:
        raise UsageError(str(target), f"kan ikke skrive filen ({err.strerror})",
                         f"cannot write the file ({err.strerror})") from None
