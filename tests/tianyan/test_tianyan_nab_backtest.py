"""Backtest a threshold rule over NAB series with the local evaluator (optional shared data)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tianyan.rules.backtest import backtest, load_csv

NAB = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "nab"


def windows(name: str) -> list[tuple[datetime, datetime]]:
    labels = json.loads((NAB / "labels" / "combined_windows.json").read_text())
    return [
        (datetime.fromisoformat(a).replace(tzinfo=UTC), datetime.fromisoformat(b).replace(tzinfo=UTC))
        for a, b in labels[name]
    ]


@pytest.mark.skipif(not NAB.is_dir(), reason=f"shared data {NAB} is not here (optional)")
@pytest.mark.parametrize(
    ("name", "expr", "precision", "recall"),
    [
        # thresholds picked by hand from the series' plots, not tuned on the labels; the figures are
        # what they score (docs/tianyan.md), kept here so a change in the evaluator shows up
        (
            "realKnownCause/machine_temperature_system_failure.csv",
            "avg_over_time(nab_value[1h]) < 50",
            0.5,
            0.75,
        ),
        (
            "realKnownCause/cpu_utilization_asg_misconfiguration.csv",
            "avg_over_time(nab_value[1h]) > 60",
            0.93,
            1.0,
        ),
        ("realKnownCause/ambient_temperature_system_failure.csv", "nab_value < 60", 0.71, 0.5),
        ("realAWSCloudwatch/ec2_cpu_utilization_825cc2.csv", "nab_value < 50", 1.0, 1.0),
    ],
)
def test_threshold_rule_against_labelled_windows(
    name: str, expr: str, precision: float, recall: float
) -> None:
    series, times = load_csv(NAB / "data" / name, "nab_value")
    result = backtest(expr, series, times, windows(name))
    assert (round(result.precision, 2), round(result.recall, 2)) == (precision, recall), result.detections
