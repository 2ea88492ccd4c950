"""What a channel is asked to deliver: one group's alerts for one receiver, Alertmanager-shaped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tianyan.model import Alert, AlertState

#: Go's zero time, which Alertmanager writes as endsAt of a firing alert
ZERO_TIME = "0001-01-01T00:00:00Z"


def iso(moment: datetime | None) -> str:
    if moment is None:
        return ZERO_TIME
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def is_resolved(alert: Alert, now: datetime) -> bool:
    if alert.state is AlertState.RESOLVED:
        return True
    return alert.ends_at is not None and alert.ends_at <= now


def common(maps: Sequence[Mapping[str, str]]) -> dict[str, str]:
    """The pairs every mapping has (Alertmanager's commonLabels/commonAnnotations)."""
    if not maps:
        return {}
    out = dict(maps[0])
    for m in maps[1:]:
        out = {k: v for k, v in out.items() if m.get(k) == v}
    return out


@dataclass(frozen=True)
class Notification:
    receiver: str
    group_key: str
    group_labels: Mapping[str, str]
    #: firing alerts first, then resolved ones (only those the receiver wants)
    firing: tuple[Alert, ...]
    resolved: tuple[Alert, ...]
    external_url: str = ""
    language: str = "en"
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def status(self) -> str:
        return "firing" if self.firing else "resolved"

    @property
    def alerts(self) -> tuple[Alert, ...]:
        return self.firing + self.resolved

    def alert_json(self, alert: Alert) -> dict[str, Any]:
        resolved = alert in self.resolved
        return {
            "status": "resolved" if resolved else "firing",
            "labels": dict(alert.labels),
            "annotations": dict(alert.annotations),
            "startsAt": iso(alert.starts_at),
            "endsAt": iso(alert.ends_at if resolved else None),
            "generatorURL": alert.generator_url,
            "fingerprint": alert.fingerprint,
        }

    def common_labels(self) -> dict[str, str]:
        return common([a.labels for a in self.alerts])

    def common_annotations(self) -> dict[str, str]:
        return common([a.annotations for a in self.alerts])

    def webhook_payload(self, max_alerts: int = 0) -> dict[str, Any]:
        """Alertmanager's version-4 webhook body."""
        alerts = list(self.alerts)
        shown = alerts[:max_alerts] if max_alerts > 0 else alerts
        return {
            "receiver": self.receiver,
            "status": self.status,
            "alerts": [self.alert_json(a) for a in shown],
            "groupLabels": dict(self.group_labels),
            "commonLabels": self.common_labels(),
            "commonAnnotations": self.common_annotations(),
            "externalURL": self.external_url,
            "version": "4",
            "groupKey": self.group_key,
            "truncatedAlerts": len(alerts) - len(shown),
        }
