"""Deliver what is in the outbox: due entries are claimed, sent concurrently (one slow or dead
channel holds up no other), and their outcome written back; failures are retried with backoff,
per-target rate limits defer (never drop), and entries older than ``give_up_after`` are given up."""

from __future__ import annotations

import logging
import random
import uuid
from collections import deque
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import requests

from hucheng.store import Record, Store
from tianyan.errors import ChannelError
from tianyan.notify import outbox
from tianyan.notify.amconfig import Integration, RoutingConfig
from tianyan.notify.channels import SendContext
from tianyan.notify.config import NotifyConfig
from tianyan.notify.outbox import Backoff, Entry

log = logging.getLogger(__name__)
RATE_WINDOW = timedelta(minutes=1)


@dataclass(frozen=True)
class DeliveryResult:
    notification_id: str
    receiver: str
    integration: str
    target: str
    #: sent, failed (will be retried), gave_up, deferred (rate limit)
    outcome: str
    attempt: int = 0
    error: str = ""


@dataclass(frozen=True)
class DeliverySummary:
    queued: int = 0
    results: tuple[DeliveryResult, ...] = ()

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    @property
    def sent(self) -> int:
        return self.count("sent")

    @property
    def failed(self) -> int:
        return self.count("failed")

    @property
    def gave_up(self) -> int:
        return self.count("gave_up")

    @property
    def deferred(self) -> int:
        return self.count("deferred")

    def __add__(self, other: DeliverySummary) -> DeliverySummary:
        return DeliverySummary(self.queued + other.queued, self.results + other.results)


@dataclass(frozen=True)
class Job:
    """One send: one entry, or several batched into one message by a rate-limited channel."""

    entries: tuple[Entry, ...]
    integration: Integration
    payload: Mapping[str, Any]


def _send(job: Job, timeout: float) -> str:
    """Send one job; '' when it arrived, else the one-line error. Runs in a worker thread."""
    integration = job.integration
    with requests.Session() as session:
        try:
            ctx = SendContext(integration.config.timeout_seconds(timeout), session)
            integration.channel.send(dict(job.payload), integration.config, ctx)
        except ChannelError as exc:
            return exc.message
        except Exception as exc:  # a channel bug must not lose the notification: retried, reported
            log.exception("sending to %s failed unexpectedly", job.entries[0].target)
            return f"{type(exc).__name__}: {exc}"
    return ""


class Deliverer:
    def __init__(
        self, store: Store, routing: RoutingConfig | None, config: NotifyConfig, rng: random.Random
    ) -> None:
        self.store = store
        self.routing = routing
        self.timeout = config.duration("send_timeout").total_seconds()
        self.give_up_after = config.duration("give_up_after")
        self.backoff = Backoff(config.duration("retry_initial"), config.duration("retry_max"))
        self.max_parallel = config.max_parallel
        #: a claim with no outcome after this long was lost with its process: due again
        self.stale_after = timedelta(seconds=self.timeout * 3 + 30)
        self.rng = rng
        self.pending: dict[str, Entry] = {}
        self.window: dict[str, deque[datetime]] = {}
        self.loaded_at: datetime | None = None
        #: marks this process's claims (see outbox.claimed_by)
        self.token = uuid.uuid4().hex

    def reload(self, now: datetime) -> None:
        """Read unfinished entries from the store (also those other processes queued)."""
        entries = outbox.load(self.store, since=now - self.give_up_after - timedelta(days=1))
        self.pending = {nid: e for nid, e in entries.items() if not e.done}
        self.window = {}
        for e in sorted(entries.values(), key=lambda e: e.last_attempt_at or e.queued_at):
            if e.last_attempt_at is not None and now - RATE_WINDOW < e.last_attempt_at <= now:
                self.window.setdefault(e.target, deque()).append(e.last_attempt_at)
        self.loaded_at = now

    def enqueue(self, entries: Sequence[Entry], extra: Sequence[Record]) -> None:
        """Write ``entries`` (and e.g. notification-log records) in one put, before any send."""
        self.store.put([*extra, *(outbox.queued_record(e) for e in entries)])
        for e in entries:
            self.pending[e.id] = e

    def next_due(self) -> datetime | None:
        times = [e.next_attempt_at or e.queued_at for e in self.pending.values() if e.state != "in_flight"]
        return min(times) if times else None

    def _budget(self, target: str, limit: int | None, now: datetime) -> tuple[int | None, datetime]:
        """Sends ``target`` may take now (None: no limit), and when the next slot frees."""
        sent = self.window.setdefault(target, deque())
        while sent and sent[0] <= now - RATE_WINDOW:
            sent.popleft()
        if limit is None:
            return None, now
        return max(0, limit - len(sent)), (sent[0] + RATE_WINDOW if sent else now)

    def deliver(self, now: datetime) -> DeliverySummary:
        """Send every pending entry that is due."""
        due = [e for e in self.pending.values() if e.due(now, self.stale_after)]
        return self.deliver_entries(sorted(due, key=lambda e: e.queued_at), now)

    def deliver_entries(self, due: Sequence[Entry], now: datetime) -> DeliverySummary:
        """One attempt for each of ``due`` (claimed first, then sent concurrently)."""
        results: list[DeliveryResult] = []
        by_target: dict[str, list[tuple[Entry, Integration]]] = {}
        for entry in due:
            integration = self.routing.integration(entry.integration) if self.routing else None
            if now - entry.queued_at > self.give_up_after or integration is None:
                why = (
                    f"older than give_up_after ({entry.last_error or 'never sent'})"
                    if integration is not None
                    else f"{entry.integration} is no longer in the routing config"
                )
                results.append(self._finish(entry, "gave_up", now, why))
                continue
            by_target.setdefault(entry.target, []).append((entry, integration))
        jobs: list[Job] = []
        for target, items in by_target.items():
            planned, deferred, free_at = self._plan(target, items, now)
            jobs.extend(planned)
            for entry in deferred:
                self.pending[entry.id] = replace(entry, next_attempt_at=free_at)
                results.append(self._result(entry, "deferred", entry.attempts, "rate limit; sent later"))
        claimed = self._claim(jobs, now)
        if claimed:
            workers = min(self.max_parallel, len(claimed))
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tianyan-send") as pool:
                errors = list(pool.map(lambda c: _send(c[0], self.timeout), claimed))
            records: list[Record] = []
            for (job, attempts), error in zip(claimed, errors, strict=True):
                for entry, attempt in zip(job.entries, attempts, strict=True):
                    results.append(self._outcome(entry, attempt, error, now, records))
            self.store.put(records)  # every outcome of this round in one transaction
        return DeliverySummary(0, tuple(results))

    def _plan(
        self, target: str, items: list[tuple[Entry, Integration]], now: datetime
    ) -> tuple[list[Job], list[Entry], datetime]:
        """Jobs for one target within its rate limit; when more are due than it allows, the last
        slot carries as many as one message can hold (batched), and the rest wait (deferred)."""
        channel = items[0][1].channel
        budget, free_at = self._budget(target, channel.rate_per_minute, now)
        singles = [Job((e,), i, e.payload) for e, i in items]
        if budget is None or len(items) <= budget:
            return singles, [], free_at
        if budget == 0:
            return [], [e for e, _ in items], free_at
        jobs = singles[: budget - 1]
        rest = items[budget - 1 :]
        merged = channel.merge([e.payload for e, _ in rest], rest[0][1].config)
        used = merged[1] if merged is not None else 1
        if merged is not None and used > 1:
            jobs.append(Job(tuple(e for e, _ in rest[:used]), rest[0][1], merged[0]))
        else:
            jobs.append(singles[budget - 1])
        # the slot just used frees a minute from now at the latest
        return jobs, [e for e, _ in rest[used:]], free_at if free_at > now else now + RATE_WINDOW

    def _claim(self, jobs: list[Job], now: datetime) -> list[tuple[Job, list[int]]]:
        """Write every job's attempt claims in one put; keep the jobs whose claims are all ours."""
        planned = [(job, [e.attempts + 1 for e in job.entries]) for job in jobs]
        records = [
            outbox.claim_record(e, n, now, self.token)
            for job, attempts in planned
            for e, n in zip(job.entries, attempts, strict=True)
        ]
        if not records:
            return []
        if self.store.put(records).written != len(records):  # another process claimed some
            mine = []
            for job, attempts in planned:
                pairs = zip(job.entries, attempts, strict=True)
                if all(outbox.claimed_by(self.store, e, n) == self.token for e, n in pairs):
                    mine.append((job, attempts))
                else:  # theirs: read them again at the next reload
                    for e in job.entries:
                        self.pending.pop(e.id, None)
            planned = mine
        for job, _ in planned:
            self.window.setdefault(job.entries[0].target, deque()).append(now)
        return planned

    def _outcome(
        self, entry: Entry, attempt: int, error: str, now: datetime, records: list[Record]
    ) -> DeliveryResult:
        entry = replace(entry, attempts=attempt)
        if not error:
            return self._finish(entry, "sent", now, "", records)
        delay = self.backoff.delay(attempt, self.rng)
        nxt = now + delay
        log.warning("%s: attempt %d failed, retry at %s: %s", entry.target, attempt, nxt.isoformat(), error)
        records.append(
            outbox.event(
                entry,
                "failed",
                now,
                f"f{attempt}",
                attempt=attempt,
                error=error,
                next_attempt_at=nxt.isoformat(),
            )
        )
        self.pending[entry.id] = replace(entry, state="retrying", last_error=error, next_attempt_at=nxt)
        return self._result(entry, "failed", attempt, error)

    def _finish(
        self, entry: Entry, outcome: str, now: datetime, error: str, records: list[Record] | None = None
    ) -> DeliveryResult:
        record = outbox.event(entry, outcome, now, attempt=entry.attempts, error=error)
        if records is None:
            self.store.put([record])
        else:
            records.append(record)
        self.pending.pop(entry.id, None)
        if outcome == "gave_up":
            log.error("gave up on notification %s to %s: %s", entry.id, entry.target, error)
        return self._result(entry, outcome, entry.attempts, error)

    @staticmethod
    def _result(entry: Entry, outcome: str, attempt: int, error: str) -> DeliveryResult:
        return DeliveryResult(
            entry.id, entry.receiver, entry.integration, entry.target, outcome, attempt, error
        )
