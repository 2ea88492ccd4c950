"""The ``changcheng.deps:`` section of hucheng.yaml."""

from __future__ import annotations

from hucheng.config.section import Section


class DepsConfig(Section):
    """Settings for the deps scan."""
