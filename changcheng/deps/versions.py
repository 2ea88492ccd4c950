"""Version schemes for OSV ranges: PEP 440 for PyPI, SemVer for npm and for SEMVER ranges."""

from __future__ import annotations

from collections.abc import Callable
from functools import total_ordering
from typing import Any

import semver
from packaging.version import InvalidVersion, Version

from changcheng.advisories.names import canonical_version


class UnparsableVersion(ValueError):
    """A version string the scheme cannot order."""


@total_ordering
class _Bottom:
    """Below every version: OSV's ``introduced: "0"``."""

    def __lt__(self, other: object) -> bool:
        return not isinstance(other, _Bottom)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Bottom)

    def __hash__(self) -> int:
        return 0


BOTTOM: Any = _Bottom()

Parser = Callable[[str], Any]


def parse_pep440(text: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion as exc:
        raise UnparsableVersion(f"{text!r} is not a PEP 440 version") from exc


def parse_semver(text: str) -> semver.Version:
    try:
        return semver.Version.parse(text.strip().removeprefix("v"), optional_minor_and_patch=True)
    except (ValueError, TypeError) as exc:
        raise UnparsableVersion(f"{text!r} is not a SemVer version") from exc


#: ecosystem key (lower case) -> how its ECOSYSTEM ranges order versions
ECOSYSTEM_SCHEMES: dict[str, Parser] = {"pypi": parse_pep440, "npm": parse_semver}


def scheme_for(range_type: str, ecosystem: str) -> Parser | None:
    """The parser for a range; None for GIT ranges and ecosystems we cannot order."""
    if range_type == "SEMVER":
        return parse_semver
    if range_type == "ECOSYSTEM":
        return ECOSYSTEM_SCHEMES.get(ecosystem.lower())
    return None


def canonical(ecosystem: str, text: str) -> str:
    """The form two equal versions share (PEP 440: ``1.0`` == ``1.0.0`` == ``1.00``); as-is elsewhere."""
    return canonical_version(ecosystem, text)
