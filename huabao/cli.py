"""``hucheng huabao`` (alias ``perf``): the command-line layer over the huabao library."""

from __future__ import annotations

import click


@click.group(name="huabao")
def group() -> None:
    """Huabao (华豹): front-end performance — Web Vitals and Lighthouse-compatible scores in real Chromium.

    \b
    This tool's commands arrive with its own issue; today the group only
    carries its configuration section (``huabao:`` in hucheng.yaml).
    """
