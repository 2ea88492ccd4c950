"""Which dependency files to read: the files named, and under each directory named, every file a
parser reads (``pyproject.toml`` only where no lockfile sits next to it: the lockfile is the truth).
A file named explicitly with a ``.txt`` or ``.in`` suffix is read as a requirements file whatever its
name (``deps ci/pins.txt``)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from changcheng.deps.parsers import PARSERS, Parser, parser_for
from changcheng.errors import LockfileError

#: folders never searched: VCS data, installed packages, caches, build output
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        ".tox",
        ".nox",
        "site-packages",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "build",
        "dist",
    }
)


def discover(paths: Sequence[Path]) -> list[tuple[Parser, Path]]:
    found: list[tuple[Parser, Path]] = []
    for path in paths:
        if not path.exists():
            raise LockfileError(f"{path}: no such file or directory")
        if path.is_file():
            parser = parser_for(path.name)
            if parser is None and path.suffix in (".txt", ".in"):
                parser = PARSERS["requirements"]  # a named file: any requirements file name will do
            if parser is None:
                known = ", ".join(PARSERS)
                raise LockfileError(f"{path}: not a dependency file this scan reads (it reads: {known})")
            found.append((parser, path))
            continue
        found.extend(_walk(path))
    unique: dict[Path, tuple[Parser, Path]] = {}
    for parser, path in found:
        unique.setdefault(path.resolve(), (parser, path))
    return list(unique.values())


def _walk(root: Path) -> list[tuple[Parser, Path]]:
    out: list[tuple[Parser, Path]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        here = [(p, Path(dirpath) / f) for f in sorted(filenames) if (p := parser_for(f)) is not None]
        has_lock = any(p.lockfile and p.name != "requirements" for p, _ in here)
        out.extend((p, f) for p, f in here if p.lockfile or not has_lock)
    return out
