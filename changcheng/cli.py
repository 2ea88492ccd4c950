"""``hucheng changcheng`` (alias ``scan``): the command-line layer over the changcheng library."""

from __future__ import annotations

import click

from hucheng.lazycommands import LazyCommands

#: subcommand -> ("module:attr", short help); one module per command under changcheng.commands
COMMANDS: dict[str, tuple[str, str]] = {
    "deps": ("changcheng.commands.deps:command", "Find dependencies with known vulnerabilities, offline."),
    "db": ("changcheng.commands.db:group", "Install and inspect the offline advisory database."),
    "sbom": ("changcheng.commands.sbom:command", "Write a CycloneDX JSON SBOM of the dependencies."),
    "secrets": ("changcheng.commands.secrets:command", "Find leaked secrets in files or git history."),
}


@click.group(name="changcheng", cls=LazyCommands, lazy=COMMANDS)
def group() -> None:
    """Changcheng (长城): security scanning — vulnerable dependencies and leaked secrets."""
