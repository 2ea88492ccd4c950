"""``hucheng baibaoxiang`` (alias ``catalog``): the command-line layer over the baibaoxiang library."""

from __future__ import annotations

import click


@click.group(name="baibaoxiang")
def group() -> None:
    """Baibaoxiang (百宝箱): the catalog of services and APIs, log collection and capacity forecasts.

    \b
    This tool's commands arrive with its own issue; today the group only
    carries its configuration section (``baibaoxiang:`` in hucheng.yaml).
    """
