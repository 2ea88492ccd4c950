"""The ``tianyan:`` section of hucheng.yaml."""

from __future__ import annotations

from pydantic import Field

from hucheng.config.section import Section
from tianyan.notify.config import NotifyConfig


class TianyanConfig(Section):
    """Settings for tianyan. ``enabled`` decides whether ``hucheng run`` includes it."""

    enabled: bool = True
    notify: NotifyConfig = Field(default_factory=NotifyConfig)
