"""``planaudit init``."""
from __future__ import annotations

import click

__all__ = ["init"]


@click.command(name="init")
def init() -> None:
    """(under arbeid)"""
    raise click.UsageError("planaudit init: ikke ferdig ennå")
