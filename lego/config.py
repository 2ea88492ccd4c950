"""The ``lego:`` section of hucheng.yaml."""

from __future__ import annotations

from hucheng.config.section import Section


class LegoConfig(Section):
    """Settings for lego. ``enabled`` decides whether ``hucheng run`` includes it."""

    enabled: bool = True
