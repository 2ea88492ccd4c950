"""The effective config as rows of (key, value, origin), for ``hucheng config show``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hucheng.config.loader import LoadedConfig

MASK = "********"
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^/:@\s]*:)[^@/\s]+@", re.IGNORECASE)


@dataclass(frozen=True)
class ConfigRow:
    key: str
    value: Any
    origin: str


def config_rows(loaded: LoadedConfig) -> list[ConfigRow]:
    """One row per leaf value; values that came from ``${VAR}`` are masked."""
    rows: list[ConfigRow] = []
    _walk(loaded, loaded.settings.model_dump(mode="json"), (), rows)
    store_secret = ("store",) in loaded.secret_paths
    effective = MASK if store_secret else hide_password(loaded.settings.store_url)
    rows.append(ConfigRow("store_url (effective)", effective, str(loaded.origin(("store",)))))
    return rows


def _walk(loaded: LoadedConfig, data: Any, path: tuple[str, ...], rows: list[ConfigRow]) -> None:
    if isinstance(data, dict) and data:
        for key, value in data.items():
            _walk(loaded, value, (*path, key), rows)
        return
    secret = any(path[: len(p)] == p for p in loaded.secret_paths)
    rows.append(ConfigRow(".".join(path), MASK if secret else hide_password(data), str(loaded.origin(path))))


def hide_password(value: Any) -> Any:
    """``http://user:secret@host`` -> ``http://user:********@host``; anything else unchanged."""
    if isinstance(value, str):
        return _URL_PASSWORD.sub(rf"\1{MASK}@", value)
    if isinstance(value, dict):
        return {k: hide_password(v) for k, v in value.items()}
    if isinstance(value, list):
        return [hide_password(v) for v in value]
    return value


def masked_dump(loaded: LoadedConfig) -> dict[str, Any]:
    """The effective config as nested data: ``${VAR}`` values and passwords in URLs masked."""
    data: dict[str, Any] = hide_password(loaded.settings.model_dump(mode="json"))
    for path in loaded.secret_paths:
        target: Any = data
        for part in path[:-1]:
            target = target.get(part) if isinstance(target, dict) else None
        if isinstance(target, dict) and path[-1] in target:
            target[path[-1]] = MASK
    return data
