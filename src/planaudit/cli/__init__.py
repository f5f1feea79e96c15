"""The ``planaudit`` command: a thin shell over ``planaudit.audit``."""
from __future__ import annotations

import click

from ..engine import version
from ._check import check
from ._commands import extract, plugins, rules, schema
from ._diff import diff
from ._doctor import doctor
from ._history import history
from ._init import init
from ._serve import serve

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=version(), prog_name="planaudit")
def cli() -> None:
    """planaudit: kvalitetsrevisjon av boligsosiale handlingsplaner og andre kommunale handlingsplaner.

    Eksempel: planaudit check plan.md --format json
    """


for _command in (check, diff, init, extract, rules, schema, plugins, history, serve, doctor):
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="planaudit")
