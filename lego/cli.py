"""``hucheng lego`` (alias ``pipeline``): the command-line layer over the lego library."""

from __future__ import annotations

import click

from hucheng.lazycommands import LazyCommands

#: subcommand -> ("module:attr", short help); one module per command under lego.commands
COMMANDS: dict[str, tuple[str, str]] = {}


@click.group(name="lego", cls=LazyCommands, lazy=COMMANDS)
def group() -> None:
    """Lego (乐高): pipelines built from reusable bricks, run locally as a DAG."""
