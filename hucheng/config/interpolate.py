"""``${VAR}`` and ``${VAR:-default}`` in config strings, so secrets stay out of the file.

``$${`` writes a literal ``${``. A variable that is unset and has no default is an error naming it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

_REF = re.compile(r"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")

KeyPath = tuple[str | int, ...]


class MissingVariable(Exception):
    def __init__(self, name: str, path: KeyPath) -> None:
        super().__init__(name)
        self.name = name
        self.path = path


def interpolate(
    data: Any, env: Mapping[str, str], on_substituted: Callable[[KeyPath], None], path: KeyPath = ()
) -> Any:
    """Return ``data`` with references replaced; ``on_substituted(path)`` marks values that used one."""
    if isinstance(data, dict):
        return {k: interpolate(v, env, on_substituted, (*path, k)) for k, v in data.items()}
    if isinstance(data, list):
        return [interpolate(v, env, on_substituted, (*path, i)) for i, v in enumerate(data)]
    if not isinstance(data, str) or "${" not in data:
        return data
    used = False

    def replace(match: re.Match[str]) -> str:
        nonlocal used
        if match.group(0) == "$${":
            return "${"
        name, default = match.group(1), match.group(2)
        used = True
        if name in env:
            return env[name]
        if default is not None:
            return default
        raise MissingVariable(name, path)

    result = _REF.sub(replace, data)
    if used:
        on_substituted(path)
    return result
