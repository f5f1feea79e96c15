"""``planaudit diff``."""
from __future__ import annotations

import click

__all__ = ["diff"]


@click.command(name="diff")
def diff() -> None:
    """(under arbeid)"""
    raise click.UsageError("planaudit diff: ikke ferdig ennå")
