"""The whole of ``hucheng.yaml``, declared in one place.

Each tool owns its section's model (``<tool>/config.py``); this module only assembles them.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from baibaoxiang.config import BaibaoxiangConfig
from changcheng.config import ChangchengConfig
from huabao.config import HuabaoConfig
from hucheng.config.section import Section
from lego.config import LegoConfig
from mojing.config import MojingConfig
from tianyan.config import TianyanConfig


class LogLevel(StrEnum):
    DEBUG = "debug"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class MetricsConfig(Section):
    """Where run results go as Prometheus metrics."""

    pushgateway: str | None = Field(
        default=None,
        description="Pushgateway URL for cron and CI runs, e.g. http://127.0.0.1:9091; null: do not push",
    )
    job: str = Field(default="hucheng", description="the `job` label of pushed groups")
    grouping_key: dict[str, str] = Field(
        default_factory=dict,
        description="extra grouping labels of pushed groups, e.g. {instance: ci-runner-3}",
    )
    timeout: float = Field(default=10.0, gt=0, description="seconds before a push gives up")


def default_home() -> Path:
    """The platform's user data directory (~/.local/share/hucheng on Linux)."""
    import platformdirs

    return platformdirs.user_data_path("hucheng")


class Settings(Section):
    """The effective configuration: defaults, then the file, then HUCHENG_* environment, then flags."""

    version: Literal[1] = Field(default=1, description="version of this file's format")
    home: Path = Field(
        default_factory=default_home,
        description="where hucheng keeps its data (the default store lives here); env HUCHENG_HOME",
    )
    store: str | None = Field(
        default=None, description="record store URL; default sqlite:///<home>/hucheng.db"
    )
    log_level: LogLevel = Field(
        default=LogLevel.WARNING, description="what the library logs to stderr (--debug shows everything)"
    )
    metrics: MetricsConfig = Field(default_factory=MetricsConfig)
    tianyan: TianyanConfig = Field(default_factory=TianyanConfig)
    changcheng: ChangchengConfig = Field(default_factory=ChangchengConfig)
    lego: LegoConfig = Field(default_factory=LegoConfig)
    mojing: MojingConfig = Field(default_factory=MojingConfig)
    huabao: HuabaoConfig = Field(default_factory=HuabaoConfig)
    baibaoxiang: BaibaoxiangConfig = Field(default_factory=BaibaoxiangConfig)

    @property
    def store_url(self) -> str:
        if self.store:
            return self.store
        return f"sqlite:///{(self.home.expanduser() / 'hucheng.db').absolute()}"


#: the tool sections, in the order ``hucheng run`` visits them
TOOL_SECTIONS = ("tianyan", "changcheng", "lego", "huabao", "baibaoxiang", "mojing")


def settings_json_schema() -> dict[str, Any]:
    """JSON Schema of the whole file, built from the same models that validate it."""
    schema = Settings.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "hucheng.yaml"
    return schema
