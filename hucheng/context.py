"""What the root command hands to every subcommand: global flags, and the config and store they imply.

Commands get an :class:`AppContext` from click (``@pass_app``) and call :meth:`settings` /
:meth:`open_store`; library code never sees the click context.
"""

from __future__ import annotations

import logging
import sys
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
            if not self.debug:
                configure_logging(self._loaded.settings.log_level.value)
        return self._loaded

    def settings(self) -> Settings:
        return self.loaded_config().settings

    def open_store(self) -> Store:
        from hucheng.store import open_store

        return open_store(self.settings().store_url)


class _StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is at the time (test capture swaps it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:  # logging must never take the command down
            self.handleError(record)


def configure_logging(level: str) -> None:
    """Library log records at ``level`` and above go to stderr as ``hucheng: <level>: <message>``."""
    root = logging.getLogger()
    root.setLevel(level.upper())
    if not any(isinstance(h, _StderrHandler) for h in root.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("hucheng: %(levelname)s: %(message)s"))
        root.addHandler(handler)


def pass_app(fn: F) -> F:
    """Decorator: pass the :class:`AppContext` as the first argument."""
    return cast(F, click.pass_obj(fn))
