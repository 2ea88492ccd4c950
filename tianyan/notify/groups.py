"""Aggregation groups: the alerts one route gathers under one set of group labels, and their timers.

Alertmanager's timing: a new group waits ``group_wait`` before its first notification (at once if
its oldest alert is already older than that); after each flush the next is ``group_interval`` later.
``repeat_interval`` is applied by the notification log (:mod:`tianyan.notify.nflog`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from tianyan.model import Alert, AlertState
from tianyan.notify.notification import is_resolved
from tianyan.notify.route import Route


@dataclass
class Group:
    route: Route
    key: str
    labels: dict[str, str]
    next_flush: datetime
    flushed: bool = False
    #: fingerprint -> (alert, when it was last received)
    alerts: dict[str, tuple[Alert, datetime]] = field(default_factory=dict)

    def add(self, alert: Alert, now: datetime) -> None:
        self.alerts[alert.fingerprint] = (alert, now)
        if not self.flushed and alert.starts_at is not None and alert.starts_at + self.route.group_wait < now:
            self.next_flush = min(self.next_flush, now)

    def snapshot(self, now: datetime, resolve_timeout: timedelta) -> tuple[list[Alert], list[Alert]]:
        """(firing, resolved) now; an alert not received for ``resolve_timeout`` counts as resolved."""
        firing: list[Alert] = []
        resolved: list[Alert] = []
        for alert, seen in self.alerts.values():
            if is_resolved(alert, now):
                resolved.append(alert)
            elif seen + resolve_timeout <= now:
                resolved.append(replace(alert, state=AlertState.RESOLVED, ends_at=seen + resolve_timeout))
            else:
                firing.append(alert)
        key = lambda a: (a.starts_at or now, a.fingerprint)  # noqa: E731
        return sorted(firing, key=key), sorted(resolved, key=key)

    def drop_resolved(self, fingerprints: set[str]) -> None:
        for fp in fingerprints:
            self.alerts.pop(fp, None)
