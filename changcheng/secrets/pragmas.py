"""Inline pragmas: a line containing ``gitleaks:allow`` or ``hucheng:allow`` accepts its findings."""

from __future__ import annotations

PRAGMAS: tuple[bytes, ...] = (b"gitleaks:allow", b"hucheng:allow")


def pragma_on(line: bytes) -> str | None:
    """The pragma on ``line``, or None."""
    for pragma in PRAGMAS:
        if pragma in line:
            return pragma.decode()
    return None
