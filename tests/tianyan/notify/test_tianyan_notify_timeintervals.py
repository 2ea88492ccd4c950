"""Alertmanager's time_intervals: each field, ranges, negative days, locations, bad definitions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tianyan.notify.timeintervals import TimeIntervalError, parse_interval


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def test_times_are_start_inclusive_end_exclusive() -> None:
    i = parse_interval({"times": [{"start_time": "09:00", "end_time": "17:30"}]})
    assert i.contains(at(2026, 11, 25, 9, 0))
    assert i.contains(at(2026, 11, 25, 17, 29))
    assert not i.contains(at(2026, 11, 25, 17, 30))
    assert not i.contains(at(2026, 11, 25, 8, 59))


def test_weekdays_months_years_and_negative_days() -> None:
    i = parse_interval(
        {"weekdays": ["monday:wednesday", "friday"], "months": ["november", "1:2"], "years": ["2025:2026"]}
    )
    assert i.contains(at(2026, 11, 25, 12, 0))  # Wednesday in November 2026
    assert not i.contains(at(2026, 11, 26, 12, 0))  # Thursday
    assert i.contains(at(2026, 1, 2, 12, 0))  # a Friday in January
    assert not i.contains(at(2027, 1, 1, 12, 0))  # 2027
    last_days = parse_interval({"days_of_month": ["-3:-1"]})
    assert last_days.contains(at(2026, 2, 26, 0, 0)) and last_days.contains(at(2026, 2, 28, 0, 0))
    assert not last_days.contains(at(2026, 2, 25, 0, 0))


def test_location_moves_the_day() -> None:
    i = parse_interval({"weekdays": ["saturday"], "location": "Asia/Shanghai"})
    assert i.contains(at(2026, 11, 27, 16, 0))  # Friday 16:00 UTC is Saturday 00:00 in Shanghai
    assert not parse_interval({"weekdays": ["saturday"]}).contains(at(2026, 11, 27, 16, 0))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"times": [{"start_time": "9am", "end_time": "17:00"}]}, "is not HH:MM"),
        ({"times": [{"start_time": "18:00", "end_time": "09:00"}]}, "before end_time"),
        ({"weekdays": ["someday"]}, "weekday 'someday' is not known"),
        ({"location": "Mars/Olympus"}, "not a known time zone"),
        ({"days_of_month": ["0"]}, "out of range"),
        ({"hours": ["1"]}, "unknown key 'hours'"),
    ],
)
def test_bad_intervals(raw: dict[str, object], message: str) -> None:
    with pytest.raises(TimeIntervalError, match=message):
        parse_interval(raw)
