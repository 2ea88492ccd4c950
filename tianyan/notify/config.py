"""The ``tianyan.notify:`` section of hucheng.yaml: the routing file, language, outbox and retries."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from pydantic import Field, field_validator

from hucheng.config.section import Section
from hucheng.durations import parse_duration


class Language(StrEnum):
    ZH = "zh"
    EN = "en"


class NotifyConfig(Section):
    """Where alerts go and how hard tianyan tries to get them there."""

    alertmanager_config: str | None = Field(
        default=None,
        description="routing config in Alertmanager's format (alertmanager.yml); relative paths are "
        "taken from the current directory; null: alerts are not delivered",
    )
    language: Language = Field(default=Language.ZH, description="default message language: zh or en")
    external_url: str = Field(default="", description="externalURL in webhook payloads and messages")
    send_timeout: str = Field(default="10s", description="per-send timeout (connect and answer)")
    retry_initial: str = Field(default="10s", description="first retry delay; doubles each time, with jitter")
    retry_max: str = Field(default="10m", description="the longest delay between two retries")
    give_up_after: str = Field(default="6h", description="a notification older than this is given up")
    max_parallel: int = Field(default=8, ge=1, description="sends in flight at once (one per channel)")

    @field_validator("send_timeout", "retry_initial", "retry_max", "give_up_after")
    @classmethod
    def _duration(cls, value: str) -> str:
        if parse_duration(value) <= timedelta(0):
            raise ValueError(f"{value!r} must be more than 0s")
        return value

    def duration(self, name: str) -> timedelta:
        return parse_duration(str(getattr(self, name)))
