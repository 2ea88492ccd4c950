"""``--env``: the distributions installed in an environment (importlib.metadata), with exact versions.

By default the environment hucheng runs in; with ``--python PATH`` another interpreter's (a project's
virtualenv when hucheng itself is installed apart, e.g. with pipx). That interpreter is asked only for
its ``sys.path``; the metadata is read here.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from changcheng.advisories.names import normalize_name
from changcheng.deps.model import Dependency, Ecosystem
from changcheng.errors import LockfileError

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


def interpreter_path(python: Path, timeout: float = 30.0) -> list[str]:
    """``sys.path`` of another Python interpreter."""
    code = "import json, sys; print(json.dumps(sys.path))"
    try:
        proc = subprocess.run(
            [str(python), "-I", "-c", code], capture_output=True, text=True, timeout=timeout, check=True
        )
        paths = json.loads(proc.stdout)
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        raise LockfileError(
            f"cannot ask {python} for its packages: {exc}; give the path of a Python interpreter"
        ) from exc
    return [p for p in paths if isinstance(p, str) and p]
