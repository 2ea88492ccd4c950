"""The alert state machine: inactive -> pending -> firing -> resolved, as Prometheus' alerting rules
do it (``for``, ``keep_firing_for``), plus tianyan's hysteresis (``tianyan.rules.keep_firing_while``).

:class:`AlertStates` is a plain value (fingerprint -> :class:`ActiveAlert`) that the engine advances
one evaluation at a time; :mod:`tianyan.rules.statestore` persists it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from tianyan.model import Alert, AlertState, fingerprint


@dataclass(frozen=True)
class ActiveAlert:
    rule: str
    labels: Mapping[str, str]
    annotations: Mapping[str, str]
    state: AlertState
    active_at: datetime
    last_seen: datetime
    value: float | None = None
    fired_at: datetime | None = None
    resolved_at: datetime | None = None
    keep_firing_since: datetime | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.labels)

    def to_alert(self, generator_url: str = "") -> Alert:
        return Alert(
            labels=dict(self.labels),
            annotations=dict(self.annotations),
            state=self.state,
            starts_at=self.active_at,
            ends_at=self.resolved_at,
            value=self.value,
            generator_url=generator_url,
        )


@dataclass(frozen=True)
class AlertStates:
    evaluated_at: datetime | None = None
    alerts: Mapping[str, ActiveAlert] = field(default_factory=dict)

    def firing(self) -> list[ActiveAlert]:
        return [a for a in self.alerts.values() if a.state == AlertState.FIRING]


@dataclass(frozen=True)
class Candidate:
    """One element of a rule's result, turned into alert labels and annotations."""

    labels: Mapping[str, str]
    annotations: Mapping[str, str]
    value: float


def advance_rule(
    rule: str,
    previous: Mapping[str, ActiveAlert],
    candidates: Sequence[Candidate],
    now: datetime,
    *,
    for_seconds: float,
    keep_firing_for_seconds: float,
    still_true: frozenset[str] = frozenset(),
) -> dict[str, ActiveAlert]:
    """The alerts of one rule after an evaluation at ``now``.

    ``previous`` holds this rule's alerts from the last evaluation; ``still_true`` the fingerprints
    for which the hysteresis condition holds (they keep firing without the main condition).
    Resolved alerts appear once (state RESOLVED, ``resolved_at`` = now) and are gone the next time.
    """
    hold = timedelta(seconds=for_seconds)
    keep = timedelta(seconds=keep_firing_for_seconds)
    out: dict[str, ActiveAlert] = {}
    current = {fingerprint(c.labels): c for c in candidates}
    for fp, c in current.items():
        old = previous.get(fp)
        if old is not None and old.state in (AlertState.PENDING, AlertState.FIRING):
            alert = replace(
                old, annotations=dict(c.annotations), value=c.value, last_seen=now, keep_firing_since=None
            )
        else:
            alert = ActiveAlert(
                rule, dict(c.labels), dict(c.annotations), AlertState.PENDING, now, now, c.value
            )
        if alert.state == AlertState.PENDING and now - alert.active_at >= hold:
            alert = replace(alert, state=AlertState.FIRING, fired_at=now)
        out[fp] = alert
    for fp, old in previous.items():
        if fp in current or old.state != AlertState.FIRING:
            continue  # pending ones just go; resolved ones were reported last time
        if fp in still_true:
            out[fp] = replace(old, keep_firing_since=None)
            continue
        since = old.keep_firing_since or now
        if keep and now - since < keep:
            out[fp] = replace(old, keep_firing_since=since)
            continue
        out[fp] = replace(old, state=AlertState.RESOLVED, resolved_at=now, keep_firing_since=None)
    return out


def to_send(states: AlertStates) -> list[Alert]:
    """What the notify pipeline gets after an evaluation: firing alerts, and resolved ones (once)."""
    return [
        a.to_alert() for a in states.alerts.values() if a.state in (AlertState.FIRING, AlertState.RESOLVED)
    ]
