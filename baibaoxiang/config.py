"""The ``baibaoxiang:`` section of hucheng.yaml."""

from __future__ import annotations

from hucheng.config.section import Section


class BaibaoxiangConfig(Section):
    """Settings for baibaoxiang. ``enabled`` decides whether ``hucheng run`` includes it."""

    enabled: bool = True
