"""``--env``: the distributions installed in an environment (importlib.metadata), with exact versions."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import metadata

from changcheng.advisories.names import normalize_name
from changcheng.deps.model import Dependency, Ecosystem

NAME = "environment"
LOCATION = "<environment>"


def installed(paths: Sequence[str] | None = None) -> list[Dependency]:
    """Distributions on ``paths`` (default: this interpreter's ``sys.path``); the first of a name wins,
    as at import time."""
    seen: set[str] = set()
    out: list[Dependency] = []
    dists = metadata.distributions() if paths is None else metadata.distributions(path=list(paths))
    for dist in dists:
        name = dist.metadata["Name"] if dist.metadata else None
        if not name or not dist.version:
            continue
        key = normalize_name("PyPI", name)
        if key in seen:
            continue
        seen.add(key)
        out.append(Dependency(name, Ecosystem.PYPI, dist.version, LOCATION, None, NAME))
    return sorted(out, key=lambda d: normalize_name("PyPI", d.name))
