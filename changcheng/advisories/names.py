"""Package names as each ecosystem compares them."""

from __future__ import annotations

import re

_PEP503 = re.compile(r"[-_.]+")


def ecosystem_key(ecosystem: str) -> str:
    """``PyPI`` -> ``pypi``; OSV's ``Debian:12`` style suffixes are kept (they name a release)."""
    return ecosystem.strip().lower()


def normalize_name(ecosystem: str, name: str) -> str:
    """PEP 503 for PyPI (``Foo_Bar`` == ``foo-bar``); lower case elsewhere (npm names are lower case)."""
    if ecosystem_key(ecosystem) == "pypi":
        return _PEP503.sub("-", name).lower()
    return name.strip().lower()
