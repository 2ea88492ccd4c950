"""Turning command-line filter text (``24h``, ISO times, ``k=v`` labels) into typed query values."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from hucheng.durations import parse_duration
from hucheng.errors import UsageError
from hucheng.store.records import LABEL_NAME


def parse_time_bound(text: str, *, now: datetime, option: str) -> datetime:
    """``24h`` (that long before ``now``) or an ISO-8601 time (UTC when it has no offset)."""
    try:
        return now - parse_duration(text)
    except ValueError:
        pass
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{option} {text!r} is neither a duration nor a time; expected e.g. 24h, 90d or 2024-05-01T12:00Z"
        ) from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_labels(items: Iterable[str], *, option: str = "--label") -> dict[str, str]:
    """``["service=api", "team=core"]`` -> ``{"service": "api", "team": "core"}``."""
    labels: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not LABEL_NAME.fullmatch(key.strip()):
            raise UsageError(f"{option} {item!r} is not name=value; expected e.g. {option} service=payments")
        labels[key.strip()] = value
    return labels
