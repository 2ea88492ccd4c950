"""The alert state machine over stored samples: for, keep_firing_for, hysteresis, restarts, clock jumps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tianyan_eval_helpers import RecordingSink

from hucheng.store import Query, Record, Store
from tianyan.config import TianyanConfig
from tianyan.model import AlertState
from tianyan.monitor import Monitor
from tianyan.rules.statestore import load_states

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

RULES = """
groups:
  - name: g
    rules:
      - alert: Down
        expr: probe_success == 0
        for: 1m
        labels: {severity: critical}
        annotations: {summary: "{{ $labels.instance }} down"}
      - alert: Full
        expr: disk_used_ratio > 0.9
        keep_firing_for: 2m
      - alert: Hot
        expr: temperature > 90
"""


def put_sample(store: Store, name: str, labels: dict[str, str], value: float, at: datetime) -> None:
    record = Record(
        kind="tianyan_samples",
        time=at,
        labels={"check": name, "source": "check"},
        data={"source": "check", "samples": [{"name": name, "labels": labels, "value": value}]},
        id=f"{name}:{sorted(labels.items())}:{at.isoformat()}",
    )
    store.put([record])


def monitor(tmp_path: Path, store: Store, sink: RecordingSink, **rules: object) -> Monitor:
    path = tmp_path / "rules.yml"
    path.write_text(RULES)
    config = TianyanConfig.model_validate({"rules": {"files": [str(path)], **rules}})
    return Monitor.build(config, store, sink)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def states_of(store: Store, name: str) -> list[str]:
    return [a.state.value for a in load_states(store).alerts.values() if a.labels["alertname"] == name]


def test_pending_firing_resolved_and_what_the_sink_gets(
    tmp_path: Path, store: Store, sink: RecordingSink
) -> None:
    m = monitor(tmp_path, store, sink)
    labels = {"instance": "shop", "check": "shop"}
    for minute, value in [(0, 0), (0.5, 0), (1, 0), (2, 0), (3, 1), (4, 1)]:
        put_sample(store, "probe_success", labels, value, at(minute))
    m.evaluate(at(0))
    assert states_of(store, "Down") == ["pending"]
    assert sink.calls[-1][0] == []  # pending alerts are not handed on
    m.evaluate(at(0.5))
    assert states_of(store, "Down") == ["pending"]
    m.evaluate(at(1))
    assert states_of(store, "Down") == ["firing"]
    firing = sink.calls[-1][0]
    assert [(a.name, a.state, a.labels["severity"], a.annotations["summary"]) for a in firing] == [
        ("Down", AlertState.FIRING, "critical", "shop down")
    ]
    assert firing[0].starts_at == at(0)
    m.evaluate(at(2))
    assert [a.state for a in sink.calls[-1][0]] == [AlertState.FIRING]  # every evaluation while firing
    m.evaluate(at(3))
    resolved = sink.calls[-1][0]
    assert [(a.state, a.ends_at) for a in resolved] == [(AlertState.RESOLVED, at(3))]
    m.evaluate(at(4))
    assert sink.calls[-1][0] == []  # resolved is sent once
    assert states_of(store, "Down") == []


def test_keep_firing_for(tmp_path: Path, store: Store, sink: RecordingSink) -> None:
    m = monitor(tmp_path, store, sink)
    seen = []
    for minute, value in enumerate([0.95, 0.5, 0.5, 0.5, 0.5]):
        put_sample(store, "disk_used_ratio", {"mountpoint": "/"}, value, at(minute))
        m.evaluate(at(minute))
        seen.append((states_of(store, "Full") or ["-"])[0])
    assert seen == ["firing", "firing", "firing", "resolved", "-"]


def test_hysteresis_fires_above_90_resolves_below_80(
    tmp_path: Path, store: Store, sink: RecordingSink
) -> None:
    m = monitor(tmp_path, store, sink, keep_firing_while={"Hot": "temperature > 80"})
    seen = []
    for minute, value in enumerate([85, 95, 88, 85, 81, 79, 85, 92]):
        put_sample(store, "temperature", {"room": "a"}, value, at(minute))
        m.evaluate(at(minute))
        seen.append((states_of(store, "Hot") or ["-"])[0])
    assert seen == ["-", "firing", "firing", "firing", "firing", "resolved", "-", "firing"]


def test_hysteresis_for_an_unknown_alert_is_a_config_error(
    tmp_path: Path, store: Store, sink: RecordingSink
) -> None:
    from tianyan.errors import RuleFileError

    with pytest.raises(RuleFileError, match="no alerting rule is named 'Hott'"):
        monitor(tmp_path, store, sink, keep_firing_while={"Hott": "temperature > 80"})


def test_restart_keeps_firing_state_and_does_not_restart_for(
    tmp_path: Path, store: Store, sink: RecordingSink
) -> None:
    labels = {"instance": "shop"}
    for minute in range(4):
        put_sample(store, "probe_success", labels, 0, at(minute))
    monitor(tmp_path, store, sink).evaluate(at(0))
    monitor(tmp_path, store, sink).evaluate(at(1))
    assert states_of(store, "Down") == ["firing"]
    fresh = RecordingSink()
    monitor(tmp_path, store, fresh).evaluate(at(2))  # a new process: same alert, same start, still firing
    (alert,) = fresh.calls[-1][0]
    assert (alert.state, alert.starts_at) == (AlertState.FIRING, at(0))


def test_clock_jumping_back_changes_nothing(tmp_path: Path, store: Store, sink: RecordingSink) -> None:
    m = monitor(tmp_path, store, sink)
    labels = {"instance": "shop"}
    for minute in range(4):
        put_sample(store, "probe_success", labels, 0, at(minute))
    m.evaluate(at(0))
    m.evaluate(at(2))
    before = load_states(store)
    count = store.count(Query(kinds=("tianyan_rule_state",)))
    outcome = m.evaluate(at(1))  # the clock went back a minute
    assert outcome.skipped
    assert load_states(store) == before
    assert store.count(Query(kinds=("tianyan_rule_state",))) == count
    assert len(sink.calls) == 2  # nothing handed on from the skipped evaluation
    m.evaluate(at(3))
    assert states_of(store, "Down") == ["firing"]


def test_a_rule_whose_query_fails_keeps_its_alerts(tmp_path: Path, store: Store, sink: RecordingSink) -> None:
    path = tmp_path / "rules.yml"
    path.write_text(
        "groups:\n- name: g\n  rules:\n  - alert: Dup\n    expr: x + on() y\n  - alert: Ok\n    expr: y > 0\n"
    )
    config = TianyanConfig.model_validate({"rules": {"files": [str(path)]}})
    put_sample(store, "x", {"a": "1"}, 1, at(0))
    put_sample(store, "y", {"b": "1"}, 1, at(0))
    put_sample(store, "y", {"b": "2"}, 1, at(0))
    outcome = Monitor.build(config, store, sink).evaluate(at(0))
    assert len(outcome.errors) == 1 and "many-to-many matching not allowed" in outcome.errors[0]
    assert sorted(states_of(store, "Ok")) == ["firing", "firing"]


def test_groups_not_due_keep_their_alerts(tmp_path: Path, store: Store, sink: RecordingSink) -> None:
    path = tmp_path / "rules.yml"
    path.write_text(
        "groups:\n- name: fast\n  rules:\n  - alert: A\n    expr: x > 0\n"
        "- name: slow\n  interval: 1m\n  rules:\n  - alert: B\n    expr: x > 0\n"
    )
    m = Monitor.build(TianyanConfig.model_validate({"rules": {"files": [str(path)]}}), store, sink)
    put_sample(store, "x", {"a": "1"}, 1, at(0))
    m.evaluate(at(0))
    assert sorted(states_of(store, "A") + states_of(store, "B")) == ["firing", "firing"]
    put_sample(store, "x", {"a": "1"}, 0, at(0.25))
    m.evaluate(at(0.25), due=["fast"])  # only the fast group is due: B stays as it was
    assert (states_of(store, "A"), states_of(store, "B")) == (["resolved"], ["firing"])
    m.evaluate(at(1), due=["fast", "slow"])
    assert (states_of(store, "A"), states_of(store, "B")) == ([], ["resolved"])


def test_dead_prometheus_keeps_alerts_and_says_why(tmp_path: Path, store: Store, sink: RecordingSink) -> None:
    from realservers.ports import free_port

    dead = f"http://127.0.0.1:{free_port()}"
    m = monitor(tmp_path, store, sink)
    put_sample(store, "probe_success", {"instance": "shop"}, 0, at(0))
    m.evaluate(at(0))
    m.evaluate(at(1))
    assert states_of(store, "Down") == ["firing"]
    remote = monitor(tmp_path, store, sink, prometheus_url=dead, query_timeout="2s")
    outcome = remote.evaluate(at(2))
    assert len(outcome.errors) == 3
    assert outcome.errors[0].startswith(f"cannot query Prometheus at {dead}/api/v1/query: ConnectionError")
    assert states_of(store, "Down") == ["firing"]  # not forgotten, not resolved
