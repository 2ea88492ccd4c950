"""The ``tianyan:`` section of hucheng.yaml."""

from __future__ import annotations

from hucheng.config.section import Section


class TianyanConfig(Section):
    """Settings for tianyan. ``enabled`` decides whether ``hucheng run`` includes it."""

    enabled: bool = True
