"""The outbox: a channel answering 500 or hanging is retried and does not hold up the others; a
crash between send and acknowledgement resends at most once; old notifications are given up;
rate limits defer instead of dropping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tianyan_notify_testkit import T0, alert, pipeline, routing, s

from hucheng.store import Store
from tianyan.notify import outbox
from tianyan.notify.delivery import Deliverer
from tianyan.notify.report import delivery_rows


def two_hooks(tmp_path: Path, first: str, second: str, first_extra: str = "") -> Any:
    return routing(
        tmp_path,
        f"""
route:
  receiver: both
  group_by: [alertname]
receivers:
  - name: both
    webhook_configs:
      - url: "{first}"
        {first_extra}
      - url: "{second}"
""",
    )


def test_a_500_is_retried_with_backoff_and_then_sent(tmp_path: Path, store: Store, vendor: Any) -> None:
    flaky = vendor("webhook", mode="fail:2")
    cfg = routing(
        tmp_path,
        f'route:\n  receiver: r\nreceivers:\n  - name: r\n    webhook_configs: [{{url: "{flaky.url()}"}}]\n',
    )
    p = pipeline(cfg, store, retry_initial="10s", retry_max="1m")
    p.process([alert("Down")], T0)
    first = p.flush(T0)
    assert (first.sent, first.failed) == (0, 1)
    assert "HTTP 500" in first.results[0].error
    due = p.next_due()
    assert due is not None and T0 + s(5) <= due <= T0 + s(10)  # 10s with equal jitter
    assert p.tick(due - s(1)).results == ()
    second = p.tick(due)
    assert second.failed == 1
    due2 = p.next_due()
    assert due2 is not None and due + s(10) <= due2 <= due + s(20)  # doubled
    assert p.tick(due2).sent == 1
    assert [r.verdict for r in flaky.received] == ["500", "500", "ok"]
    (row,) = delivery_rows(store, due2, s(3600))
    assert (row["state"], row["attempts"], row["error"]) == ("sent", 3, "")


def test_a_hanging_channel_times_out_and_does_not_hold_up_the_other(
    tmp_path: Path, store: Store, vendor: Any
) -> None:
    hang = vendor("webhook", mode="hang", hang_seconds=3)
    good = vendor("webhook")
    # the slow channel has its own timeout (the global send_timeout stays at 10s)
    p = pipeline(two_hooks(tmp_path, hang.url("/slow"), good.url("/fast"), 'timeout: "500ms"'), store)
    p.process([alert("Down")], T0)
    summary = p.flush(T0)
    outcomes = {r.target: (r.outcome, r.error) for r in summary.results}
    assert outcomes[f"webhook:{good.url('/fast')}"] == ("sent", "")
    outcome, error = outcomes[f"webhook:{hang.url('/slow')}"]
    assert outcome == "failed" and "no answer within 0.5s" in error
    assert len(good.received) == 1
    # still in the outbox, retried later
    assert [e.integration for e in p.deliverer.pending.values()] == ["both/webhook/0"]


def test_a_dead_port_is_a_failure_not_a_crash(tmp_path: Path, store: Store) -> None:
    from realservers.ports import free_port

    cfg = routing(
        tmp_path,
        f"route:\n  receiver: r\nreceivers:\n  - name: r\n    webhook_configs: [{{url: 'http://127.0.0.1:{free_port()}/'}}]\n",
    )
    p = pipeline(cfg, store)
    p.process([alert("Down")], T0)
    summary = p.flush(T0)
    assert summary.failed == 1 and "ConnectionError" in summary.results[0].error


class Crash(Exception):
    pass


def test_a_crash_after_sending_resends_exactly_once_more(
    tmp_path: Path, store: Store, vendor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    hook = vendor("webhook")
    cfg = routing(
        tmp_path,
        f'route:\n  receiver: r\nreceivers:\n  - name: r\n    webhook_configs: [{{url: "{hook.url()}"}}]\n',
    )
    a = alert("Down")
    first = pipeline(cfg, store)
    first.process([a], T0)

    def die(*args: Any, **kwargs: Any) -> Any:
        raise Crash("the process died before writing 'sent'")

    with monkeypatch.context() as m:
        m.setattr(Deliverer, "_outcome", die)
        with pytest.raises(Crash):
            first.flush(T0)
    assert len(hook.received) == 1  # it did arrive; the store does not know
    # the next process: the same alert again (eval resends it) and the unacknowledged entry
    second = pipeline(cfg, store)
    second.process([a], T0 + s(30))
    assert second.flush(T0 + s(30)).results == ()  # in flight: not resent before the claim is stale
    later = T0 + s(120)
    second.process([a], later)
    summary = second.flush(later)
    assert (summary.queued, summary.sent) == (0, 1)
    third = pipeline(cfg, store)
    third.process([a], later + s(60))
    assert third.flush(later + s(60)).results == ()
    assert len(hook.received) == 2  # once, and at most once more


def test_given_up_after_the_configured_age(tmp_path: Path, store: Store, vendor: Any) -> None:
    dead = vendor("webhook", mode="500")
    cfg = routing(
        tmp_path,
        f'route:\n  receiver: r\nreceivers:\n  - name: r\n    webhook_configs: [{{url: "{dead.url()}"}}]\n',
    )
    p = pipeline(cfg, store, retry_initial="20s", give_up_after="1m")
    p.process([alert("Down")], T0)
    p.flush(T0)
    at = T0
    outcomes = []
    while p.next_due() is not None and at < T0 + s(600):
        at = max(at + s(1), p.next_due() or at)
        outcomes += [r.outcome for r in p.tick(at).results]
        if "gave_up" in outcomes:
            break
    assert outcomes[-1] == "gave_up"
    assert set(outcomes[:-1]) == {"failed"}
    (row,) = delivery_rows(store, at, s(3600))
    assert row["state"] == "gave_up" and "HTTP 500" in row["error"]


def rate_limited_robot(tmp_path: Path, vendor: Any) -> tuple[Any, Any, list[float]]:
    clock = [T0.timestamp()]
    robot = vendor("dingtalk", rate_per_minute=20, clock=lambda: clock[0])
    url = robot.url("/robot/send?access_token=t")
    cfg = routing(
        tmp_path,
        "route:\n  receiver: r\n  group_by: [instance]\n"
        f'receivers:\n  - name: r\n    dingtalk_configs: [{{url: "{url}"}}]\n',
    )
    return robot, cfg, clock


def test_over_the_rate_limit_the_last_slot_carries_a_batch(tmp_path: Path, store: Store, vendor: Any) -> None:
    robot, cfg, _ = rate_limited_robot(tmp_path, vendor)
    p = pipeline(cfg, store)
    p.process([alert("Down", instance=f"h{i:02d}") for i in range(25)], T0)
    first = p.flush(T0)
    assert (first.queued, first.sent, first.deferred) == (25, 25, 0)
    assert [r.verdict for r in robot.received] == ["ok"] * 20  # within DingTalk's 20 a minute
    (batch,) = [r.body["markdown"] for r in robot.received if "(+" in r.body["markdown"]["title"]]
    assert batch["title"].endswith("(+5)")
    assert [f"instance=h{i:02d}" in batch["text"] for i in range(19, 25)] == [True] * 6
    assert p.deliverer.pending == {}


def test_what_does_not_fit_in_the_batch_waits_for_the_next_minute(
    tmp_path: Path, store: Store, vendor: Any
) -> None:
    robot, cfg, clock = rate_limited_robot(tmp_path, vendor)
    p = pipeline(cfg, store)
    # 40 groups of 20 alerts: a message is several kB, so only a few fit in one 20,000-byte batch
    p.process([alert("Down", instance=f"h{i:02d}", disk=f"d{j}") for i in range(40) for j in range(20)], T0)
    first = p.flush(T0)
    in_batch = first.sent - 19
    assert first.queued == 40 and 1 < in_batch < 21
    assert first.deferred == 40 - first.sent
    assert len(robot.received) == 20
    assert p.next_due() == T0 + s(60)
    clock[0] += 60
    second = p.tick(T0 + s(60))
    assert (second.sent, second.deferred) == (first.deferred, 0)
    assert all(len(r.raw) <= 20_000 and r.verdict == "ok" for r in robot.received)
    batched = [r for r in robot.received if "(+" in r.body["markdown"]["title"]]
    singles = len(robot.received) - len(batched)
    assert singles + sum(int(r.body["markdown"]["title"].rsplit("+", 1)[1][:-1]) + 1 for r in batched) == 40


def test_the_outbox_is_written_before_sending(tmp_path: Path, store: Store, vendor: Any) -> None:
    hook = vendor("webhook", mode="500")
    cfg = routing(
        tmp_path,
        f'route:\n  receiver: r\nreceivers:\n  - name: r\n    webhook_configs: [{{url: "{hook.url()}"}}]\n',
    )
    p = pipeline(cfg, store)
    p.process([alert("Down")], T0)
    p.flush(T0)
    (entry,) = outbox.load(store, since=T0 - s(1)).values()
    assert entry.payload["body"]["alerts"][0]["labels"]["alertname"] == "Down"
    assert entry.state == "retrying" and entry.attempts == 1


def test_tokens_and_signatures_never_reach_the_store_or_the_error(tmp_path: Path, store: Store) -> None:
    from realservers.ports import free_port

    url = f"http://127.0.0.1:{free_port()}/robot/send?access_token=TOKEN-very-secret-123"
    cfg = routing(
        tmp_path,
        "route:\n  receiver: r\nreceivers:\n  - name: r\n"
        f'    dingtalk_configs: [{{url: "{url}", secret: SEC-xyz}}]\n',
    )
    p = pipeline(cfg, store)
    p.process([alert("Down")], T0)
    (result,) = p.flush(T0).results
    assert result.outcome == "failed"
    assert result.error.endswith("ConnectionError: [Errno 111] Connection refused")
    for text in (result.error, result.target):
        assert "TOKEN" not in text and "sign=" not in text and "SEC-xyz" not in text
    dump = b"".join(f.read_bytes() for f in tmp_path.glob("hucheng.db*"))
    assert b"TOKEN-very-secret" not in dump and b"SEC-xyz" not in dump


def test_two_processes_retrying_the_same_entry_send_it_once(
    tmp_path: Path, store: Store, vendor: Any
) -> None:
    hook = vendor("webhook", mode="fail:1")
    cfg = routing(
        tmp_path,
        f'route:\n  receiver: r\nreceivers:\n  - name: r\n    webhook_configs: [{{url: "{hook.url()}"}}]\n',
    )
    first = pipeline(cfg, store)
    first.process([alert("Down")], T0)
    assert first.flush(T0).failed == 1
    later = T0 + s(3600)
    serve, cron = pipeline(cfg, store), pipeline(cfg, store)
    serve.deliverer.reload(later)
    cron.deliverer.reload(later)  # both see the entry due
    assert serve.deliverer.deliver(later).sent == 1
    assert cron.deliverer.deliver(later).results == ()  # its claim lost: not sent again
    assert [r.verdict for r in hook.received] == ["500", "ok"]
