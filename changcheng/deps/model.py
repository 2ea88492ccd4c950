"""A dependency as the parsers find it: name, version (or the range it is allowed), file and line."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Ecosystem(StrEnum):
    """OSV ecosystem names."""

    PYPI = "PyPI"
    NPM = "npm"


class Unpinned(StrEnum):
    """Why a dependency has no exact version."""

    RANGE = "range"  # a version range (requests>=2), or none at all
    URL = "url"  # a direct URL or a local path
    VCS = "vcs"  # git+https://...


@dataclass(frozen=True)
class Dependency:
    name: str
    ecosystem: Ecosystem
    #: the exact version (a pin, a lockfile entry, an installed distribution); None when unpinned
    version: str | None
    #: where it was found: a path relative to the scan root (POSIX), or "<environment>"
    file: str
    line: int | None
    #: the parser that found it (requirements, poetry.lock, ...)
    source: str
    #: the range when unpinned (a PEP 440 specifier set for PyPI, "" for any version)
    specifier: str = ""
    unpinned: Unpinned | None = None
    #: the URL of a URL/VCS requirement, the environment marker of a requirement, ...
    note: str = ""

    @property
    def pinned(self) -> bool:
        return self.version is not None
