"""New findings as tianyan alerts: a new critical vulnerability or leaked key tells someone at once.

Findings reach the store through :func:`changcheng.store.record_findings`, which says which ones are
new since the last scan of the same target. Those at or above ``changcheng.alert_on`` become
:class:`tianyan.model.Alert` values handed to :func:`tianyan.notify.send_alerts`, so they get the
routing, grouping, silences and delivery of every other alert. Nothing is sent unless
``tianyan.notify.alertmanager_config`` is set; a finding already alerted on is not new next time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from changcheng.findings import Finding, Severity

if TYPE_CHECKING:
    from changcheng.findings import ScanReport
    from changcheng.store import RecordSummary
    from hucheng.config import Settings
    from hucheng.store import Store
    from tianyan.model import Alert

ALERT_NAME = "ChangchengNewFinding"


class AlertOn(StrEnum):
    """The lowest severity of a new finding that raises an alert; ``none`` raises none."""

    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


def finding_alerts(findings: Sequence[Finding], scan: str, now: datetime) -> list[Alert]:
    """One alert per finding, labelled so that routes can match on scan, severity and rule."""
    from tianyan.model import Alert, AlertState

    alerts = []
    for finding in findings:
        where = finding.location.path + (f":{finding.location.line}" if finding.location.line else "")
        alerts.append(
            Alert(
                labels={
                    "alertname": ALERT_NAME,
                    "tool": "changcheng",
                    "scan": scan,
                    "severity": finding.severity.value,
                    "rule_id": finding.rule_id,
                    "location": where,
                },
                annotations={
                    "summary": f"{finding.title} ({where})",
                    "description": finding.message or finding.title,
                },
                state=AlertState.FIRING,
                starts_at=now,
            )
        )
    return alerts


def alert_new_findings(
    summary: RecordSummary, scan: str, *, settings: Settings, store: Store, now: datetime | None = None
) -> int:
    """Send an alert for each newly opened finding at or above ``changcheng.alert_on``; return how
    many alerts were handed to tianyan (0 when alerting is off or not configured)."""
    threshold = settings.changcheng.alert_on
    if threshold is AlertOn.NONE or settings.tianyan.notify.alertmanager_config is None:
        return 0
    findings = summary.new_at_least(Severity(threshold.value))
    if not findings:
        return 0
    from tianyan.notify import send_alerts

    moment = now or datetime.now(UTC)
    send_alerts(finding_alerts(findings, scan, moment), settings=settings, store=store, now=moment)
    return len(findings)


def record_and_alert(
    store: Store, report: ScanReport, settings: Settings, *, mode: str = "", now: datetime | None = None
) -> RecordSummary:
    """Record ``report``'s findings in the store, then alert on the new ones (the one call the
    commands and ``hucheng run`` make)."""
    from changcheng.store import record_findings

    summary = record_findings(store, report, now, mode=mode)
    alert_new_findings(summary, report.scan, settings=settings, store=store, now=now)
    return summary
