"""Backtest an alerting rule over a recorded series (e.g. the Numenta Anomaly Benchmark's CSVs) with
the local evaluator and the real state machine, and score it against labelled anomaly windows.

A detection is an alert that starts firing; it is a true positive when it starts inside a labelled
window (or, as NAB allows, while a window is open). Precision = true detections / detections;
recall = windows with at least one detection / windows.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import promql_parser as pp

from tianyan.rules.alerts import AlertStates
from tianyan.rules.engine import LocalSource, evaluate
from tianyan.rules.rulefile import Rule, RuleGroup
from tianyan.rules.series import SeriesSet

Window = tuple[datetime, datetime]


@dataclass(frozen=True)
class BacktestResult:
    evaluations: int
    detections: tuple[datetime, ...]
    true_detections: int
    windows: int
    windows_found: int

    @property
    def precision(self) -> float:
        return self.true_detections / len(self.detections) if self.detections else 0.0

    @property
    def recall(self) -> float:
        return self.windows_found / self.windows if self.windows else 0.0


def load_csv(path: Path, metric: str) -> tuple[SeriesSet, list[float]]:
    """A ``timestamp,value`` CSV (UTC timestamps) as one series named ``metric``; its times."""
    series = SeriesSet()
    times: list[float] = []
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            t = datetime.fromisoformat(row["timestamp"]).replace(tzinfo=UTC).timestamp()
            series.add({"__name__": metric}, t, float(row["value"]))
            times.append(t)
    return series, times


def backtest(
    expr: str,
    series: SeriesSet,
    times: Sequence[float],
    windows: Sequence[Window],
    *,
    for_seconds: float = 0.0,
) -> BacktestResult:
    """Evaluate ``expr`` as an alerting rule at every sample time (sorted: real recordings have
    timestamps that go back, e.g. NAB's machine_temperature) and score its firing starts."""
    rule = Rule("backtest", "Backtest", True, expr, pp.parse(expr), for_seconds=for_seconds)
    groups = [RuleGroup("backtest", Path("backtest"), None, (rule,))]
    source = LocalSource(series)
    states = AlertStates()
    firing: set[str] = set()
    detections: list[datetime] = []
    for t in sorted(set(times)):
        now = datetime.fromtimestamp(t, UTC)
        states = evaluate(groups, source, states, now).states
        now_firing = {fp for fp, a in states.alerts.items() if a.state.value == "firing"}
        if now_firing - firing:
            detections.append(now)
        firing = now_firing
    inside = [d for d in detections if any(start <= d <= end for start, end in windows)]
    found = sum(1 for start, end in windows if any(start <= d <= end for d in detections))
    return BacktestResult(len(set(times)), tuple(detections), len(inside), len(windows), found)
