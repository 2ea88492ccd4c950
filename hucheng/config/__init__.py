"""Configuration: layered (defaults, file, HUCHENG_* env, flags), typed, frozen, and self-explaining.

The names below are loaded on first use (PEP 562). The schema imports every tool's config section,
and those import :mod:`hucheng.config.section`; importing this package must therefore not import the
schema eagerly, or ``import tianyan.config`` first would find a half-initialised module. It also
keeps ``hucheng <tool> --help`` from paying for pydantic models it does not use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hucheng.config.layers import Origin
    from hucheng.config.loader import LoadedConfig, load_config
    from hucheng.config.schema import TOOL_SECTIONS, MetricsConfig, Settings, default_home
    from hucheng.config.section import Section

#: public name -> the module that defines it
_EXPORTS = {
    "Origin": "hucheng.config.layers",
    "LoadedConfig": "hucheng.config.loader",
    "load_config": "hucheng.config.loader",
    "TOOL_SECTIONS": "hucheng.config.schema",
    "MetricsConfig": "hucheng.config.schema",
    "Settings": "hucheng.config.schema",
    "default_home": "hucheng.config.schema",
    "Section": "hucheng.config.section",
}

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


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'hucheng.config' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value
