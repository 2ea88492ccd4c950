"""``hucheng mojing`` (alias ``report``): the command-line layer over the mojing library."""

from __future__ import annotations

import click


@click.group(name="mojing")
def group() -> None:
    """Mojing (魔镜): R&D reporting — DORA metrics and trend reports from what the other tools record.

    \b
    This tool's commands arrive with its own issue; today the group only
    carries its configuration section (``mojing:`` in hucheng.yaml).
    """
