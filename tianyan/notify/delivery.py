"""Deliver what is in the outbox: due entries are claimed, sent concurrently (one slow or dead
channel holds up no other), and their outcome written back; failures are retried with backoff,
per-target rate limits defer (never drop), and entries older than ``give_up_after`` are given up."""

from __future__ import annotations

import logging
import random
from collections import deque
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

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


def _send(integration: Integration, entry: Entry, timeout: float) -> str:
    """Send one entry; '' when it arrived, else the one-line error. Runs in a worker thread."""
    with requests.Session() as session:
        try:
            integration.channel.send(dict(entry.payload), integration.config, SendContext(timeout, session))
        except ChannelError as exc:
            return exc.message
        except Exception as exc:  # a channel bug must not lose the notification: retried, reported
            log.exception("sending %s to %s failed unexpectedly", entry.id, entry.target)
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

    def reload(self, now: datetime) -> None:
        """Read unfinished entries from the store (also those other processes queued)."""
        entries = outbox.load(self.store, since=now - self.give_up_after - timedelta(days=1))
        self.pending = {nid: e for nid, e in entries.items() if not e.done}
        for e in entries.values():
            if e.claimed_at is not None and e.claimed_at > now - RATE_WINDOW:
                self.window.setdefault(e.target, deque()).append(e.claimed_at)
        self.loaded_at = now

    def enqueue(self, entries: Sequence[Entry], extra: Sequence[Record]) -> None:
        """Write ``entries`` (and e.g. notification-log records) in one put, before any send."""
        self.store.put([*extra, *(outbox.queued_record(e) for e in entries)])
        for e in entries:
            self.pending[e.id] = e

    def next_due(self) -> datetime | None:
        times = [e.next_attempt_at or e.queued_at for e in self.pending.values() if e.state != "in_flight"]
        return min(times) if times else None

    def _rate_limited(self, integration: Integration, now: datetime) -> datetime | None:
        limit = integration.channel.rate_per_minute
        if limit is None:
            return None
        sent = self.window.setdefault(integration.channel.target(integration.config), deque())
        while sent and sent[0] <= now - RATE_WINDOW:
            sent.popleft()
        if len(sent) >= limit:
            return sent[0] + RATE_WINDOW
        sent.append(now)
        return None

    def deliver(self, now: datetime) -> DeliverySummary:
        """Send every pending entry that is due."""
        due = [e for e in self.pending.values() if e.due(now, self.stale_after)]
        return self.deliver_entries(sorted(due, key=lambda e: e.queued_at), now)

    def deliver_entries(self, due: Sequence[Entry], now: datetime) -> DeliverySummary:
        """One attempt for each of ``due`` (claimed first, then sent concurrently)."""
        results: list[DeliveryResult] = []
        claimed: list[tuple[Entry, Integration, int]] = []
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
            wait = self._rate_limited(integration, now)
            if wait is not None:
                self.pending[entry.id] = replace(entry, next_attempt_at=wait)
                results.append(self._result(entry, "deferred", entry.attempts, "rate limit; sent later"))
                continue
            attempt = entry.attempts + 1
            if self.store.put([outbox.claim_record(entry, attempt, now)]).written == 0:
                self.pending.pop(entry.id)  # another process has this attempt
                continue
            claimed.append((entry, integration, attempt))
        if claimed:
            workers = min(self.max_parallel, len(claimed))
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tianyan-send") as pool:
                errors = list(pool.map(lambda c: _send(c[1], c[0], self.timeout), claimed))
            for (entry, _, attempt), error in zip(claimed, errors, strict=True):
                results.append(self._outcome(entry, attempt, error, now))
        return DeliverySummary(0, tuple(results))

    def _outcome(self, entry: Entry, attempt: int, error: str, now: datetime) -> DeliveryResult:
        entry = replace(entry, attempts=attempt)
        if not error:
            return self._finish(entry, "sent", now, "")
        delay = self.backoff.delay(attempt, self.rng)
        nxt = now + delay
        log.warning("%s: attempt %d failed, retry at %s: %s", entry.target, attempt, nxt.isoformat(), error)
        self.store.put(
            [
                outbox.event(
                    entry,
                    "failed",
                    now,
                    f"f{attempt}",
                    attempt=attempt,
                    error=error,
                    next_attempt_at=nxt.isoformat(),
                )
            ]
        )
        self.pending[entry.id] = replace(entry, state="retrying", last_error=error, next_attempt_at=nxt)
        return self._result(entry, "failed", attempt, error)

    def _finish(self, entry: Entry, outcome: str, now: datetime, error: str) -> DeliveryResult:
        self.store.put([outbox.event(entry, outcome, now, attempt=entry.attempts, error=error)])
        self.pending.pop(entry.id, None)
        if outcome == "gave_up":
            log.error("gave up on notification %s to %s: %s", entry.id, entry.target, error)
        return self._result(entry, outcome, entry.attempts, error)

    @staticmethod
    def _result(entry: Entry, outcome: str, attempt: int, error: str) -> DeliveryResult:
        return DeliveryResult(
            entry.id, entry.receiver, entry.integration, entry.target, outcome, attempt, error
        )
