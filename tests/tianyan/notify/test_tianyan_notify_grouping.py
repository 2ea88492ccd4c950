"""Grouping, timers, de-duplication, resolve, restarts, silences, inhibition and time intervals,
delivered to a local webhook receiver that records what it gets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tianyan_notify_testkit import T0, alert, pipeline, resolved, routing, s, webhook_config

from hucheng.store import Store
from tianyan.notify.silences import add_silence, expire_silence

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "alertmanager"


def bodies(hook: Any) -> list[dict[str, Any]]:
    return [r.body for r in hook.received]


def test_group_wait_then_one_message_for_the_group(tmp_path: Path, store: Store, vendor: Any) -> None:
    hook = vendor("webhook")
    p = pipeline(routing(tmp_path, webhook_config(hook.url("/hook"))), store)
    a, b = alert("HighCPU", instance="a"), alert("HighCPU", instance="b")
    p.process([a, b], T0)
    assert p.next_due() == T0 + s(30)
    assert p.tick(T0 + s(29)).sent == 0
    summary = p.tick(T0 + s(30))
    assert (summary.queued, summary.sent) == (1, 1)
    (body,) = bodies(hook)
    assert body["groupKey"] == '{}:{alertname="HighCPU"}'
    assert body["status"] == "firing"
    assert [x["labels"]["instance"] for x in body["alerts"]] == ["a", "b"]
    assert body["commonLabels"] == {"alertname": "HighCPU"}
    assert body["groupLabels"] == {"alertname": "HighCPU"}


def test_nothing_twice_new_alerts_wait_for_group_interval_repeat_after_repeat_interval(
    tmp_path: Path, store: Store, vendor: Any
) -> None:
    hook = vendor("webhook")
    p = pipeline(routing(tmp_path, webhook_config(hook.url(), group_interval="5m", repeat="1h")), store)
    a, b, c = (alert("Disk", instance=i) for i in "abc")
    p.process([a, b], T0)
    p.tick(T0 + s(30))
    # eval sends firing alerts every evaluation: the same set is not notified again
    for minute in range(1, 5):
        p.process([a, b], T0 + s(60 * minute))
    assert p.tick(T0 + s(330)).queued == 0
    # a new alert in a flushed group waits for the next group_interval tick
    p.process([a, b, c], T0 + s(340))
    assert p.tick(T0 + s(340)).queued == 0
    assert p.next_due() == T0 + s(630)
    assert p.tick(T0 + s(630)).sent == 1
    assert len(bodies(hook)[-1]["alerts"]) == 3
    # repeat_interval (1h) after the last notification: the same set again
    at = T0 + s(630)
    while at <= T0 + s(630 + 3600):
        at += s(300)
        p.process([a, b, c], at)
        p.tick(at)
    assert len(hook.received) == 3


def test_resolved_is_notified_once_then_the_group_is_gone(tmp_path: Path, store: Store, vendor: Any) -> None:
    hook = vendor("webhook")
    p = pipeline(routing(tmp_path, webhook_config(hook.url(), group_interval="1m")), store)
    a = alert("Down", instance="web1")
    p.process([a], T0)
    p.flush(T0)
    p.process([resolved(a, T0 + s(90))], T0 + s(90))
    assert p.tick(T0 + s(120)).sent == 1
    body = bodies(hook)[-1]
    assert body["status"] == "resolved"
    assert body["alerts"][0]["endsAt"] == "2026-11-25T10:01:30.000Z"
    assert p.groups == {}
    assert p.next_due() is None


def test_a_restart_does_not_notify_again_but_still_resolves(
    tmp_path: Path, store: Store, vendor: Any
) -> None:
    hook = vendor("webhook")
    cfg = routing(tmp_path, webhook_config(hook.url()))
    a = alert("Down", instance="web1")
    first = pipeline(cfg, store)
    first.process([a], T0)
    assert first.flush(T0).sent == 1
    # a new process (cron's next `check --once`): same firing alert, nothing sent
    second = pipeline(cfg, store)
    second.process([a], T0 + s(60))
    assert second.flush(T0 + s(60)).queued == 0
    third = pipeline(cfg, store)
    third.process([resolved(a, T0 + s(120))], T0 + s(120))
    assert third.flush(T0 + s(120)).sent == 1
    assert [b["status"] for b in bodies(hook)] == ["firing", "resolved"]


def test_a_silence_mutes_until_it_is_expired(tmp_path: Path, store: Store, vendor: Any) -> None:
    hook = vendor("webhook")
    p = pipeline(routing(tmp_path, webhook_config(hook.url(), group_interval="1m")), store)
    pay, web = alert("Slow", service="pay"), alert("Slow", service="web")
    silence = add_silence(store, ['service="pay"'], s(3600), comment="migration", author="t", now=T0)
    p.process([pay, web], T0)
    p.flush(T0)
    assert [x["labels"]["service"] for x in bodies(hook)[0]["alerts"]] == ["web"]
    expire_silence(store, silence.id[:6], T0 + s(120))
    p.process([pay, web], T0 + s(120))
    p.tick(T0 + s(120))
    assert [x["labels"]["service"] for x in bodies(hook)[1]["alerts"]] == ["pay", "web"]


def test_inhibition_mutes_the_warning_while_the_critical_fires(
    tmp_path: Path, store: Store, vendor: Any
) -> None:
    hook = vendor("webhook")
    inhibit = """
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
    equal: [instance]
"""
    cfg = routing(tmp_path, webhook_config(hook.url(), extra=inhibit).replace("[alertname]", "[instance]"))
    p = pipeline(cfg, store)
    crit = alert("DiskFull", instance="db1", severity="critical")
    warn = alert("DiskAlmostFull", instance="db1", severity="warning")
    other = alert("DiskAlmostFull", instance="db2", severity="warning")
    p.process([crit, warn, other], T0)
    p.flush(T0)
    sent = sorted(
        (x["labels"]["alertname"], x["labels"]["instance"]) for b in bodies(hook) for x in b["alerts"]
    )
    assert sent == [("DiskAlmostFull", "db2"), ("DiskFull", "db1")]


def test_mute_and_active_time_intervals(tmp_path: Path, store: Store, vendor: Any) -> None:
    hook = vendor("webhook")
    extra_route = """  routes:
    - matchers: ['team="night"']
      receiver: hook
      mute_time_intervals: [wednesday]
    - matchers: ['team="day"']
      receiver: hook
      active_time_intervals: [wednesday]
    - matchers: ['team="weekend"']
      receiver: hook
      active_time_intervals: [weekend]
time_intervals:
  - name: wednesday
    time_intervals: [{weekdays: [wednesday]}]
  - name: weekend
    time_intervals: [{weekdays: ['saturday:sunday'], location: Asia/Shanghai}]
"""
    p = pipeline(routing(tmp_path, webhook_config(hook.url(), extra_route=extra_route)), store)
    p.process([alert("X", team="night"), alert("X", team="day"), alert("X", team="weekend")], T0)
    p.flush(T0)  # T0 is a Wednesday
    assert [b["alerts"][0]["labels"]["team"] for b in bodies(hook)] == ["day"]


def test_an_old_alert_skips_group_wait(tmp_path: Path, store: Store, vendor: Any) -> None:
    hook = vendor("webhook")
    p = pipeline(routing(tmp_path, webhook_config(hook.url(), group_wait="30s")), store)
    p.process([alert("Old", starts_at=T0 - s(600))], T0)
    assert p.next_due() == T0
    assert p.tick(T0).sent == 1


def test_the_webhook_payload_has_alertmanagers_shape(tmp_path: Path, store: Store, vendor: Any) -> None:
    sample_file = SHARED / "webhook-v4-payloads.jsonl"
    if not sample_file.is_file():
        pytest.skip(f"{sample_file} is not here (optional shared data)")
    real = json.loads(sample_file.read_text().splitlines()[0])
    hook = vendor("webhook")
    p = pipeline(routing(tmp_path, webhook_config(hook.url())), store, external_url="http://tianyan:9000")
    p.process([alert("AlwaysFiring", severity="warning", team="ops")], T0)
    p.flush(T0)
    (ours,) = bodies(hook)
    assert set(ours) == set(real)
    assert set(ours["alerts"][0]) == set(real["alerts"][0])
    assert ours["version"] == real["version"] == "4"
    assert ours["alerts"][0]["endsAt"] == real["alerts"][0]["endsAt"] == "0001-01-01T00:00:00Z"
    assert type(ours["truncatedAlerts"]) is type(real["truncatedAlerts"])
    assert ours["groupKey"] == real["groupKey"]  # same route and group labels -> same key
    assert ours["alerts"][0]["fingerprint"] == real["alerts"][0]["fingerprint"]


def test_a_clock_set_back_does_not_notify_again(tmp_path: Path, store: Store, vendor: Any) -> None:
    hook = vendor("webhook")
    cfg = routing(tmp_path, webhook_config(hook.url()))
    a = alert("Down", instance="web1")
    first = pipeline(cfg, store)
    first.process([a], T0)
    assert first.flush(T0).sent == 1
    earlier = T0 - s(3600)  # the next run's clock is an hour behind
    second = pipeline(cfg, store)
    second.process([a], earlier)
    assert second.flush(earlier).queued == 0
    assert len(hook.received) == 1
