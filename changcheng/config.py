"""The ``changcheng:`` section of hucheng.yaml."""

from __future__ import annotations

from pydantic import Field

from changcheng.alerting import AlertOn
from changcheng.deps.config import DepsConfig
from changcheng.secrets.config import SecretsConfig
from hucheng.config.section import Section


class ChangchengConfig(Section):
    """Settings for changcheng. ``enabled`` decides whether ``hucheng run`` includes it."""

    enabled: bool = True
    deps: DepsConfig = Field(default_factory=DepsConfig)
    secrets: SecretsConfig = Field(default_factory=SecretsConfig)
    alert_on: AlertOn = Field(
        default=AlertOn.CRITICAL,
        description="new findings at or above this severity raise a tianyan alert (ChangchengNewFinding) "
        "when tianyan.notify.alertmanager_config is set; none: never",
    )
