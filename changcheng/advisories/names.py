"""Package names as each ecosystem compares them."""

from __future__ import annotations

import re

from packaging.utils import canonicalize_version

_PEP503 = re.compile(r"[-_.]+")


def ecosystem_key(ecosystem: str) -> str:
    """``PyPI`` -> ``pypi``; OSV's ``Debian:12`` style suffixes are kept (they name a release)."""
    return ecosystem.strip().lower()


def normalize_name(ecosystem: str, name: str) -> str:
    """PEP 503 for PyPI (``Foo_Bar`` == ``foo-bar``); lower case elsewhere (npm names are lower case)."""
    if ecosystem_key(ecosystem) == "pypi":
        return _PEP503.sub("-", name).lower()
    return name.strip().lower()


def canonical_version(ecosystem: str, version: str) -> str:
    """The form two equal versions share (PEP 440: ``1.0`` == ``1.0.0`` == ``1.00``); as-is elsewhere."""
    if ecosystem_key(ecosystem) == "pypi":
        return canonicalize_version(version.strip(), strip_trailing_zero=True)
    return version.strip()
