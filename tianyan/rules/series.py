"""An in-memory set of time series (label set -> time-ordered samples) for local PromQL evaluation.

Times are Unix seconds (float). A value of ``None`` is a staleness marker: the series ends there.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping

Labels = tuple[tuple[str, str], ...]  # sorted (name, value) pairs, __name__ included


def labels_key(labels: Mapping[str, str]) -> Labels:
    return tuple(sorted((k, v) for k, v in labels.items() if v != ""))


class Series:
    __slots__ = ("labels", "times", "values")

    def __init__(self, labels: Labels) -> None:
        self.labels = labels
        self.times: list[float] = []
        self.values: list[float | None] = []

    def add(self, t: float, value: float | None) -> None:
        if not self.times or t > self.times[-1]:
            self.times.append(t)
            self.values.append(value)
            return
        i = bisect.bisect_left(self.times, t)
        if i < len(self.times) and self.times[i] == t:
            self.values[i] = value  # the same timestamp twice: the later write wins
        else:
            self.times.insert(i, t)
            self.values.insert(i, value)

    def window(self, start: float, end: float) -> tuple[list[float], list[float | None]]:
        """Samples with ``start <= t <= end``."""
        lo = bisect.bisect_left(self.times, start)
        hi = bisect.bisect_right(self.times, end)
        return self.times[lo:hi], self.values[lo:hi]


class SeriesSet:
    def __init__(self) -> None:
        self._series: dict[Labels, Series] = {}
        self._by_name: dict[str, list[Series]] = {}
        #: (name, labels as stored, in their order) -> series: skips sorting on every sample read back
        self._fast: dict[tuple[str, tuple[tuple[str, str], ...]], Series] = {}

    def add(self, labels: Mapping[str, str], t: float, value: float | None) -> None:
        key = labels_key(labels)
        series = self._series.get(key)
        if series is None:
            series = self._series[key] = Series(key)
            self._by_name.setdefault(labels.get("__name__", ""), []).append(series)
        series.add(t, value)

    def add_sample(self, name: str, labels: Mapping[str, str], t: float, value: float | None) -> None:
        """:meth:`add` for a stored sample (name apart from labels), memoised on the labels' order."""
        fast_key = (name, tuple(labels.items()))
        series = self._fast.get(fast_key)
        if series is None:
            key = labels_key({**labels, "__name__": name})
            series = self._series.get(key)
            if series is None:
                series = self._series[key] = Series(key)
                self._by_name.setdefault(name, []).append(series)
            self._fast[fast_key] = series
        series.add(t, value)

    def named(self, name: str | None) -> Iterator[Series]:
        if name is None:
            yield from self._series.values()
        else:
            yield from self._by_name.get(name, ())

    def __len__(self) -> int:
        return len(self._series)
