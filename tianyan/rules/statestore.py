"""Alert states in the store: one ``tianyan_rule_state`` record per evaluation; the newest is current.

The record id is the evaluation time, so writing the same evaluation twice (a retry) adds nothing.
"""

from __future__ import annotations

from datetime import datetime

from hucheng.store import Query, Record, Store
from tianyan.model import AlertState
from tianyan.rules.alerts import ActiveAlert, AlertStates

STATE_KIND = "tianyan_rule_state"


def load_states(store: Store) -> AlertStates:
    newest = next(iter(store.query(Query(kinds=(STATE_KIND,), limit=1))), None)
    if newest is None:
        return AlertStates()
    data = newest.data
    alerts = {}
    for fp, a in data.get("alerts", {}).items():
        alerts[fp] = ActiveAlert(
            rule=a["rule"],
            labels=a["labels"],
            annotations=a.get("annotations", {}),
            state=AlertState(a["state"]),
            active_at=_dt(a["active_at"]),
            last_seen=_dt(a["last_seen"]),
            value=a.get("value"),
            fired_at=_opt(a.get("fired_at")),
            resolved_at=_opt(a.get("resolved_at")),
            keep_firing_since=_opt(a.get("keep_firing_since")),
        )
    return AlertStates(_dt(data["evaluated_at"]), alerts)


def _dt(value: str | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _opt(value: str | datetime | None) -> datetime | None:
    return None if value is None else _dt(value)


def save_states(store: Store, states: AlertStates) -> None:
    if states.evaluated_at is None:
        return
    alerts = {
        fp: {
            "rule": a.rule,
            "labels": dict(a.labels),
            "annotations": dict(a.annotations),
            "state": a.state.value,
            "active_at": a.active_at,
            "last_seen": a.last_seen,
            "value": a.value,
            "fired_at": a.fired_at,
            "resolved_at": a.resolved_at,
            "keep_firing_since": a.keep_firing_since,
        }
        for fp, a in states.alerts.items()
    }
    record = Record(
        kind=STATE_KIND,
        time=states.evaluated_at,
        data={"evaluated_at": states.evaluated_at, "alerts": alerts},
        id=f"rule-state:{states.evaluated_at.isoformat()}",
    )
    store.put([record])
