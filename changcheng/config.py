"""The ``changcheng:`` section of hucheng.yaml."""

from __future__ import annotations

from hucheng.config.section import Section


class ChangchengConfig(Section):
    """Settings for changcheng. ``enabled`` decides whether ``hucheng run`` includes it."""

    enabled: bool = True
