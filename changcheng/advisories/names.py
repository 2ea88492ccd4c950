"""Package names as each ecosystem compares them."""

from __future__ import annotations

import re

from packaging.utils import canonicalize_version

_PEP503 = re.compile(r"[-_.]+")
#: a plain release (1.2.3, no leading zeros): canonical once trailing ".0"s are dropped, no parsing
_PLAIN_RELEASE = re.compile(r"(?:0|[1-9]\d*)(?:\.(?:0|[1-9]\d*))*")


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
    text = version.strip()
    if ecosystem_key(ecosystem) != "pypi":
        return text
    if _PLAIN_RELEASE.fullmatch(text):  # most versions: 140,000 of them at index time
        while text.endswith(".0"):
            text = text[:-2]
        return text
    return canonicalize_version(text, strip_trailing_zero=True)
