"""The ``tianyan:`` section of hucheng.yaml: checks, sample retention, rule files, evaluation."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator, model_validator

from hucheng.config.section import Section
from hucheng.durations import parse_duration
from tianyan.checks.kinds import AnyCheck
from tianyan.notify.config import NotifyConfig


def _duration(value: str) -> str:
    parse_duration(value)
    return value


class RulesConfig(Section):
    """Prometheus rule files and where their PromQL is evaluated."""

    files: list[Path] = Field(
        default_factory=list, description="Prometheus rule files (relative paths: from the current directory)"
    )
    prometheus_url: str | None = Field(
        default=None,
        description="evaluate expressions on this Prometheus (HTTP API); null: locally over stored samples",
    )
    query_timeout: str = Field(default="10s", description="per query, when prometheus_url is set")
    external_labels: dict[str, str] = Field(
        default_factory=dict,
        description="$externalLabels in templates (as Prometheus' global.external_labels)",
    )

    keep_firing_while: dict[str, str] = Field(
        default_factory=dict,
        description="hysteresis: alert name -> PromQL that keeps its firing alerts firing while it matches",
    )

    _durations = field_validator("query_timeout")(_duration)


class TianyanConfig(Section):
    """Settings for tianyan. ``enabled`` decides whether ``hucheng run`` includes it."""

    enabled: bool = True
    checks: list[AnyCheck] = Field(default_factory=list, description="what to watch (kind: host, http, ...)")
    checks_files: list[Path] = Field(
        default_factory=list,
        description="more checks, from YAML files with a `checks:` list (paths: from the current directory)",
    )
    concurrency: int = Field(default=16, ge=1, description="checks run at the same time, at most")
    jitter: str = Field(default="0s", description="each check starts after a random delay up to this")
    retention: str = Field(default="24h", description="stored samples and alert states older than this go")
    rules: RulesConfig = Field(default_factory=RulesConfig)
    notify: NotifyConfig = Field(default_factory=NotifyConfig)

    _durations = field_validator("jitter", "retention")(_duration)

    @model_validator(mode="after")
    def _unique_names(self) -> TianyanConfig:
        seen: set[str] = set()
        for check in self.checks:
            if check.name in seen:
                raise ValueError(f"two checks are named {check.name!r}; check names must be unique")
            seen.add(check.name)
        return self
