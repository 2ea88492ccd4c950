"""Tables and JSON for tianyan's commands (the CLI only picks one and emits it)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from hucheng.output.table import Column, TableData
from tianyan.checks.base import CheckResult
from tianyan.rules.alerts import ActiveAlert

if TYPE_CHECKING:
    from tianyan.monitor import RoundReport

STATE_STYLES = {"firing": "red", "pending": "yellow", "resolved": "green", "ok": "green", "failed": "red"}


def result_row(r: CheckResult) -> dict[str, Any]:
    return {
        "name": r.name,
        "kind": r.kind,
        "status": "ok" if r.success else "failed",
        "duration_seconds": round(r.duration_seconds, 4),
        "time": r.time,
        "error": r.error,
        "samples": len(r.samples),
    }


def results_table(results: Sequence[CheckResult], title: str = "checks") -> TableData:
    columns = [
        Column("name"),
        Column("kind"),
        Column("status", styles=STATE_STYLES),
        Column("duration_seconds", "seconds", justify="right"),
        Column("error"),
    ]
    return TableData(columns, [result_row(r) for r in results], title=title)


def alert_row(a: ActiveAlert) -> dict[str, Any]:
    return {
        "alertname": a.labels.get("alertname", ""),
        "state": a.state.value,
        "labels": {k: v for k, v in a.labels.items() if k != "alertname"},
        "annotations": dict(a.annotations),
        "active_at": a.active_at,
        "fired_at": a.fired_at,
        "resolved_at": a.resolved_at,
        "value": a.value,
        "fingerprint": a.fingerprint,
        "rule": a.rule,
    }


def alerts_table(alerts: Iterable[ActiveAlert], title: str = "alerts") -> TableData:
    rows = []
    for a in sorted(alerts, key=lambda x: (x.state.value, x.labels.get("alertname", ""), x.fingerprint)):
        row = alert_row(a)
        row["labels_text"] = ",".join(f"{k}={v}" for k, v in sorted(row["labels"].items()))
        row["since"] = a.active_at.strftime("%Y-%m-%d %H:%M:%S")
        row["summary"] = a.annotations.get("summary", "")
        rows.append(row)
    columns = [
        Column("state", styles=STATE_STYLES),
        Column("alertname"),
        Column("labels_text", "labels"),
        Column("since", "active since (UTC)"),
        Column("value", justify="right"),
        Column("summary"),
    ]
    return TableData(columns, rows, title=title)


def alerts_json(alerts: Iterable[ActiveAlert]) -> list[dict[str, Any]]:
    return [alert_row(a) for a in alerts]


def round_json(report: RoundReport, delivery: object) -> dict[str, Any]:
    """``check --once --format json``: the checks, the alerts, and what was delivered."""
    return {
        "time": report.time,
        "checks": [result_row(r) for r in report.results],
        "alerts": alerts_json(report.states.alerts.values()),
        "firing": report.firing,
        "rule_errors": list(report.errors),
        "clock_went_back": report.skipped,
        "delivery": delivery,
    }
