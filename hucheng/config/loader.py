"""Load the effective configuration: one function, four layers, one typed frozen result."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hucheng.config.interpolate import MissingVariable, interpolate
from hucheng.config.layers import Layered, Origin, env_layer, file_origin, nest, origin_in
from hucheng.config.messages import describe
from hucheng.config.schema import Settings
from hucheng.config.yamlfile import KeyPath, Located, read_yaml
from hucheng.errors import ConfigError

DEFAULT_FILE = Path("hucheng.yaml")
#: command-line flags that set config keys: key path -> flag name
FLAG_NAMES: dict[KeyPath, str] = {("store",): "--store"}


@dataclass(frozen=True)
class LoadedConfig:
    settings: Settings
    #: the file that was read, if any
    file: Path | None
    origins: Mapping[KeyPath, Origin] = field(default_factory=dict)
    #: key paths whose value came from a ${VAR} reference (shown masked)
    secret_paths: frozenset[KeyPath] = frozenset()

    def origin(self, path: KeyPath) -> Origin:
        return origin_in(self.origins, path)


def load_config(
    path: Path | None = None,
    *,
    flags: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    use_env: bool = True,
) -> LoadedConfig:
    """Defaults, then ``path`` (or ./hucheng.yaml when it exists), then HUCHENG_* env, then flags.

    ``use_env=False`` skips the environment layer (``config validate`` checks a file on its own);
    ``${VAR}`` references in the file are still resolved from ``environ``.
    """
    env = os.environ if environ is None else environ
    layered = Layered()
    positions: dict[KeyPath, Located] = {}
    file = path if path is not None else (DEFAULT_FILE if DEFAULT_FILE.is_file() else None)
    if file is not None:
        positions = _apply_file(layered, file, env)
    if use_env:
        for key_path, value, name in env_layer(env):
            layered.apply(nest(key_path, value), lambda p, n=name: Origin("env", n))
    for key, value in (flags or {}).items():
        flag = FLAG_NAMES.get((key,), f"--{key}")
        layered.apply({key: value}, lambda p, f=flag: Origin("flag", f))
    try:
        settings = Settings.model_validate(layered.data)
    except ValidationError as exc:
        raise ConfigError(describe(exc, Settings, layered, positions), slug="config-invalid") from exc
    return LoadedConfig(settings, file, dict(layered.origins), frozenset(layered.secret_paths))


def _apply_file(layered: Layered, file: Path, env: Mapping[str, str]) -> dict[KeyPath, Located]:
    data, positions = read_yaml(file)
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise ConfigError(
            f"{file}:1:1: expected a mapping of sections (home:, store:, tianyan: ...), got a {kind}"
        )
    secret: set[KeyPath] = set()
    try:
        data = interpolate(data, env, secret.add)
    except MissingVariable as exc:
        loc = positions.get(exc.path)
        where = f"{file}:{loc.value.line}:{loc.value.column}" if loc else str(file)
        dotted = ".".join(str(p) for p in exc.path)
        raise ConfigError(
            f"{where}: {dotted}: environment variable {exc.name} is not set "
            f"(set it, or write ${{{exc.name}:-default}})",
            slug="config-env",
        ) from exc
    for key in data:
        if not isinstance(key, str):
            loc = positions.get((key,))
            where = f"{file}:{loc.key.line}:{loc.key.column}" if loc else str(file)
            raise ConfigError(f"{where}: top-level key {key!r} is not a section name")
    home = data.get("home")
    if isinstance(home, str) and home and not Path(home).expanduser().is_absolute():
        data["home"] = os.path.normpath(os.path.abspath(file.parent / home))  # relative to the file
    layered.apply(data, file_origin(file, positions))
    layered.secret_paths |= secret
    return positions
