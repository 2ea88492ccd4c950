"""The ``mojing:`` section of hucheng.yaml."""

from __future__ import annotations

from hucheng.config.section import Section


class MojingConfig(Section):
    """Settings for mojing. ``enabled`` decides whether ``hucheng run`` includes it."""

    enabled: bool = True
