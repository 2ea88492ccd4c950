"""The four layers of configuration and the origin of every value.

defaults → the file (``--config`` or ./hucheng.yaml) → ``HUCHENG_*`` environment → command-line flags.
A later layer replaces a value of an earlier one; mappings are merged key by key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hucheng.config.yamlfile import KeyPath, Located

ENV_PREFIX = "HUCHENG_"
#: HUCHENG_* variables that are not config keys
RESERVED_ENV = frozenset({"HUCHENG_CONFIG", "HUCHENG_DEBUG", "HUCHENG_CHROMIUM"})


@dataclass(frozen=True)
class Origin:
    """Where a value came from: ``default``, ``file``, ``env`` or ``flag``."""

    layer: str
    detail: str = ""  # hucheng.yaml:12:5, HUCHENG_STORE, --store

    def __str__(self) -> str:
        return f"{self.layer} {self.detail}".strip()


@dataclass
class Layered:
    """Merged raw data plus the origin of each leaf key path."""

    data: dict[str, Any] = field(default_factory=dict)
    origins: dict[KeyPath, Origin] = field(default_factory=dict)
    secret_paths: set[KeyPath] = field(default_factory=set)

    def apply(self, data: Mapping[str, Any], origin_of: Any, prefix: KeyPath = ()) -> None:
        """Merge ``data`` over what is here; ``origin_of(path)`` gives each leaf's origin."""
        target: dict[Any, Any] = self.data
        for part in prefix:
            target = target.setdefault(part, {})
        self._merge(target, data, prefix, origin_of)

    def _merge(
        self, target: dict[str, Any], data: Mapping[str, Any], prefix: KeyPath, origin_of: Any
    ) -> None:
        for key, value in data.items():
            path = (*prefix, key)
            if isinstance(value, Mapping) and value:
                if not isinstance(target.get(key), dict):
                    self._forget(path)
                    target[key] = {}
                self._merge(target[key], value, path, origin_of)
                continue
            self._forget(path)
            target[key] = dict(value) if isinstance(value, Mapping) else value
            self.origins[path] = origin_of(path)

    def _forget(self, path: KeyPath) -> None:
        for old in [p for p in self.origins if p[: len(path)] == path]:
            del self.origins[old]
        self.secret_paths -= {p for p in self.secret_paths if p[: len(path)] == path}

    def origin(self, path: KeyPath) -> Origin:
        """The origin of ``path`` or of the nearest enclosing key that has one."""
        return origin_in(self.origins, path)


def origin_in(origins: Mapping[KeyPath, Origin], path: KeyPath) -> Origin:
    """The origin of ``path``: its own, an enclosing key's, or else the first key set beneath it."""
    for cut in range(len(path), 0, -1):
        if path[:cut] in origins:
            return origins[path[:cut]]
    for known, origin in origins.items():
        if known[: len(path)] == path:
            return origin
    return Origin("default")


def file_origin(file: Path, positions: Mapping[KeyPath, Located]) -> Any:
    def origin_of(path: KeyPath) -> Origin:
        loc = positions.get(path)
        return Origin("file", f"{file}:{loc.value.line}:{loc.value.column}" if loc else str(file))

    return origin_of


def env_layer(environ: Mapping[str, str]) -> list[tuple[KeyPath, Any, str]]:
    """``HUCHENG_METRICS__PUSHGATEWAY=...`` → (("metrics", "pushgateway"), value, variable name).

    Values stay strings (pydantic converts "false" or "12" to the declared type), except JSON
    objects and lists, which is how a mapping or a list is given in one variable.
    """
    out: list[tuple[KeyPath, Any, str]] = []
    for name in sorted(environ):
        if not name.startswith(ENV_PREFIX) or name in RESERVED_ENV:
            continue
        parts = name[len(ENV_PREFIX) :].lower().split("__")
        if not all(parts):
            continue
        raw = environ[name]
        value: Any = raw
        if raw.strip().startswith(("{", "[")):
            try:
                value = json.loads(raw)
            except json.JSONDecodeError:
                value = raw
        out.append((tuple(parts), value, name))
    return out


def nest(path: KeyPath, value: Any) -> dict[str, Any]:
    data: Any = value
    for part in reversed(path):
        data = {part: data}
    assert isinstance(data, dict)
    return data
