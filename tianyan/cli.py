"""``hucheng tianyan`` (alias ``monitor``): the command-line layer over the tianyan library."""

from __future__ import annotations

import click


@click.group(name="tianyan")
def group() -> None:
    """Tianyan (天眼): monitoring and alerting — checks, alert rules, routing and delivery.

    \b
    This tool's commands arrive with its own issue; today the group only
    carries its configuration section (``tianyan:`` in hucheng.yaml).
    """
