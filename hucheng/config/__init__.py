"""Configuration: layered (defaults, file, HUCHENG_* env, flags), typed, frozen, and self-explaining."""

from __future__ import annotations

from hucheng.config.layers import Origin
from hucheng.config.loader import LoadedConfig, load_config
from hucheng.config.schema import TOOL_SECTIONS, MetricsConfig, Settings, default_home
from hucheng.config.section import Section

__all__ = [
    "TOOL_SECTIONS",
    "LoadedConfig",
    "MetricsConfig",
    "Origin",
    "Section",
    "Settings",
    "default_home",
    "load_config",
]
