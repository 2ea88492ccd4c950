"""Durations in Prometheus' notation (``90d``, ``1h30m``, ``500ms``), used by config and commands."""

from __future__ import annotations

import re
from datetime import timedelta

_UNITS = {
    "ms": 0.001,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
    "d": 86400.0,
    "w": 7 * 86400.0,
    "y": 365 * 86400.0,
}
_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)")


def parse_duration(text: str) -> timedelta:
    """Parse ``1h30m`` style text; raise ``ValueError`` naming what was expected."""
    s = text.strip()
    pos = 0
    seconds = 0.0
    for match in _PART.finditer(s):
        if match.start() != pos:
            break
        seconds += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    if not s or pos != len(s):
        raise ValueError(f"{text!r} is not a duration; expected e.g. 30s, 10m, 1h30m, 90d")
    return timedelta(seconds=seconds)


def format_duration(delta: timedelta) -> str:
    """The shortest ``1h30m`` style text for ``delta`` (whole milliseconds)."""
    ms = round(delta.total_seconds() * 1000)
    if ms == 0:
        return "0s"
    out = []
    for unit, size in (("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)):
        count, ms = divmod(ms, size)
        if count:
            out.append(f"{count}{unit}")
    return "".join(out)
