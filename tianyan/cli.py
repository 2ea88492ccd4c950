"""``hucheng tianyan`` (alias ``monitor``): the command-line layer over the tianyan library."""

from __future__ import annotations

import click

from hucheng.lazycommands import LazyCommands

#: subcommand -> ("module:attr", short help); one module per command under tianyan.commands
COMMANDS: dict[str, tuple[str, str]] = {}


@click.group(name="tianyan", cls=LazyCommands, lazy=COMMANDS)
def group() -> None:
    """Tianyan (天眼): monitoring and alerting — checks, alert rules, routing and delivery."""
