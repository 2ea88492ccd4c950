"""What the root command hands to every subcommand: global flags, and the config and store they imply.

Commands get an :class:`AppContext` from click (``@pass_app``) and call :meth:`settings` /
:meth:`open_store`; library code never sees the click context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

if TYPE_CHECKING:
    from hucheng.config import LoadedConfig, Settings
    from hucheng.store import Store

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class AppContext:
    config_path: Path | None = None
    output_format: str | None = None
    store_url: str | None = None
    debug: bool = False
    _loaded: LoadedConfig | None = field(default=None, repr=False)

    def loaded_config(self) -> LoadedConfig:
        """The effective config with the origin of every value; loaded once per command."""
        if self._loaded is None:
            from hucheng.config import load_config

            flags: dict[str, object] = {}
            if self.store_url is not None:
                flags["store"] = self.store_url
            self._loaded = load_config(self.config_path, flags=flags)
        return self._loaded

    def settings(self) -> Settings:
        return self.loaded_config().settings

    def open_store(self) -> Store:
        from hucheng.store import open_store

        return open_store(self.settings().store_url)


def pass_app(fn: F) -> F:
    """Decorator: pass the :class:`AppContext` as the first argument."""
    return cast(F, click.pass_obj(fn))
