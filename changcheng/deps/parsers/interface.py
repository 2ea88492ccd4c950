"""What a dependency-file parser is: a name, which file names it reads, and a parse function."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from changcheng.deps.model import Dependency


@dataclass(frozen=True)
class Parser:
    name: str
    #: does this parser read a file of this name (the base name, e.g. "poetry.lock")
    matches: Callable[[str], bool]
    #: (the file, the scan root) -> its dependencies, each with the file relative to the root and a
    #: line; raises LockfileError naming file and line when the file is malformed
    parse: Callable[[Path, Path], list[Dependency]]
    #: a lockfile pins what is installed; a manifest (pyproject.toml) only states ranges and is not
    #: read automatically when a lockfile sits next to it
    lockfile: bool = True


def display_path(path: Path, root: Path) -> str:
    """``path`` relative to the scan root, with POSIX separators; absolute when it lies outside."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
