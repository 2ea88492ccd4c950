"""The ``huabao:`` section of hucheng.yaml."""

from __future__ import annotations

from hucheng.config.section import Section


class HuabaoConfig(Section):
    """Settings for huabao. ``enabled`` decides whether ``hucheng run`` includes it."""

    enabled: bool = True
