"""``hucheng changcheng`` (alias ``scan``): the command-line layer over the changcheng library."""

from __future__ import annotations

import click


@click.group(name="changcheng")
def group() -> None:
    """Changcheng (长城): security scanning — vulnerable dependencies, leaked secrets, weak configuration.

    \b
    This tool's commands arrive with its own issue; today the group only
    carries its configuration section (``changcheng:`` in hucheng.yaml).
    """
