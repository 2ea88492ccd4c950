"""Alertmanager's ``time_intervals``: times of day, weekdays, days of month, months, years, location.

An interval matches a moment when every field it gives matches (a field left out matches always);
a named time interval matches when any of its intervals does. ``end_time`` is exclusive; negative
days of month count from the end (``-1`` is the last day).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS = {
    name: i
    for i, name in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
}
MONTHS = {
    name: i + 1
    for i, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
_TIME = re.compile(r"(\d{1,2}):(\d{2})")

Range = tuple[int, int]


class TimeIntervalError(ValueError):
    """A time interval definition is wrong; the loader adds file:line."""


def _minutes(text: str) -> int:
    m = _TIME.fullmatch(str(text).strip())
    if m is None:
        raise TimeIntervalError(f"time {text!r} is not HH:MM")
    hours, minutes = int(m.group(1)), int(m.group(2))
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise TimeIntervalError(f"time {text!r} is out of range 00:00..24:00")
    return hours * 60 + minutes


def _value(text: str, names: Mapping[str, int], what: str) -> int:
    t = text.strip().lower()
    if t in names:
        return names[t]
    try:
        return int(t)
    except ValueError:
        raise TimeIntervalError(f"{what} {text!r} is not known") from None


def _ranges(items: Sequence[Any], names: Mapping[str, int], what: str) -> tuple[Range, ...]:
    out = []
    for item in items:
        text = str(item)
        # a leading '-' is a negative day of month, not a range separator
        head, sep, tail = text.partition(":")
        lo = _value(head, names, what)
        hi = _value(tail, names, what) if sep else lo
        out.append((lo, hi))
    return tuple(out)


@dataclass(frozen=True)
class Interval:
    times: tuple[Range, ...] = ()
    weekdays: tuple[Range, ...] = ()
    days_of_month: tuple[Range, ...] = ()
    months: tuple[Range, ...] = ()
    years: tuple[Range, ...] = ()
    location: str = "UTC"

    def contains(self, moment: datetime) -> bool:
        t = moment.astimezone(ZoneInfo(self.location))
        if self.times and not any(lo <= t.hour * 60 + t.minute < hi for lo, hi in self.times):
            return False
        if self.weekdays and not any(lo <= t.weekday() <= hi for lo, hi in self.weekdays):
            return False
        if self.days_of_month:
            last = calendar.monthrange(t.year, t.month)[1]

            def day(n: int) -> int:
                return n if n > 0 else last + 1 + n

            if not any(day(lo) <= t.day <= day(hi) for lo, hi in self.days_of_month):
                return False
        if self.months and not any(lo <= t.month <= hi for lo, hi in self.months):
            return False
        return not self.years or any(lo <= t.year <= hi for lo, hi in self.years)


def parse_interval(raw: Mapping[str, Any]) -> Interval:
    known = {"times", "weekdays", "days_of_month", "months", "years", "location"}
    for key in raw:
        if key not in known:
            raise TimeIntervalError(f"unknown key {key!r}; expected one of {', '.join(sorted(known))}")
    times = tuple(
        (_minutes(t.get("start_time", "")), _minutes(t.get("end_time", ""))) for t in raw.get("times") or []
    )
    for lo, hi in times:
        if lo >= hi:
            raise TimeIntervalError("start_time must be before end_time")
    location = str(raw.get("location") or "UTC")
    if location == "Local":
        location = "UTC"
    try:
        ZoneInfo(location)
    except (ZoneInfoNotFoundError, ValueError):
        raise TimeIntervalError(
            f"location {location!r} is not a known time zone (e.g. Asia/Shanghai)"
        ) from None
    weekdays = _ranges(raw.get("weekdays") or [], WEEKDAYS, "weekday")
    days = _ranges(raw.get("days_of_month") or [], {}, "day of month")
    for lo, hi in days:
        if not (1 <= abs(lo) <= 31 and 1 <= abs(hi) <= 31):
            raise TimeIntervalError(f"day of month {lo}:{hi} out of range 1..31 or -31..-1")
    return Interval(
        times=times,
        weekdays=weekdays,
        days_of_month=days,
        months=_ranges(raw.get("months") or [], MONTHS, "month"),
        years=_ranges(raw.get("years") or [], {}, "year"),
        location=location,
    )


@dataclass(frozen=True)
class TimeInterval:
    name: str
    intervals: tuple[Interval, ...]

    def contains(self, moment: datetime) -> bool:
        return any(i.contains(moment) for i in self.intervals)
