"""``hucheng lego`` (alias ``pipeline``): the command-line layer over the lego library."""

from __future__ import annotations

import click


@click.group(name="lego")
def group() -> None:
    """Lego (乐高): CI/CD pipelines assembled from reusable bricks, run as a DAG.

    \b
    This tool's commands arrive with its own issue; today the group only
    carries its configuration section (``lego:`` in hucheng.yaml).
    """
