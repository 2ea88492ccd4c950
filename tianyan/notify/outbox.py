"""The outbox: every notification is written to the store before it is sent, then retried with
exponential backoff and jitter until it is sent or too old.

A notification's events (see :mod:`hucheng.store.kinds.tianyan_outbox`) are folded into an
:class:`Entry`. Claiming attempt ``n`` writes a record with a deterministic id; the store's
first-write-wins rule means only one process sends attempt ``n``. A process that dies after sending
but before writing ``sent`` leaves a claim without a result; after ``stale_after`` the entry is due
again, so a crash resends at most once more.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from hucheng.store import Query, Record, Store
from hucheng.store.records import to_micros

KIND = "tianyan_outbox"
DONE = ("sent", "gave_up")
_RANK = {"queued": 0, "attempt": 1, "failed": 2, "sent": 3, "gave_up": 3}


@dataclass(frozen=True)
class Entry:
    id: str
    integration: str
    receiver: str
    target: str
    group_key: str
    status: str
    firing: int
    resolved: int
    queued_at: datetime
    payload: Mapping[str, Any]
    #: pending, retrying, in_flight, sent, gave_up
    state: str = "pending"
    attempts: int = 0
    last_error: str = ""
    next_attempt_at: datetime | None = None
    claimed_at: datetime | None = None
    #: when the last attempt started (for rate limits)
    last_attempt_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def done(self) -> bool:
        return self.state in DONE

    def due(self, now: datetime, stale_after: timedelta) -> bool:
        if self.done:
            return False
        if self.state == "in_flight":
            return self.claimed_at is not None and self.claimed_at + stale_after <= now
        return self.next_attempt_at is None or self.next_attempt_at <= now


def notification_id(
    integration: str, group_key: str, firing: Iterable[str], resolved: Iterable[str], now: datetime
) -> str:
    text = "\x00".join(
        [integration, group_key, ",".join(sorted(firing)), ",".join(sorted(resolved)), str(to_micros(now))]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _base(entry: Entry) -> dict[str, Any]:
    return {
        "notification_id": entry.id,
        "integration": entry.integration,
        "receiver": entry.receiver,
        "target": entry.target,
        "group_key": entry.group_key,
        "status": entry.status,
        "firing": entry.firing,
        "resolved": entry.resolved,
    }


def event(entry: Entry, name: str, now: datetime, suffix: str = "", **data: Any) -> Record:
    return Record(
        kind=KIND,
        time=now,
        labels={"notification": entry.id, "receiver": entry.receiver},
        id=f"{entry.id}:{suffix or name}",
        data={**_base(entry), "event": name, **data},
    )


def queued_record(entry: Entry) -> Record:
    return event(entry, "queued", entry.queued_at, payload=dict(entry.payload))


def claim_record(entry: Entry, attempt: int, now: datetime, token: str) -> Record:
    return event(entry, "attempt", now, f"a{attempt}", attempt=attempt, claimed_by=token)


def claimed_by(store: Store, entry: Entry, attempt: int) -> str:
    """Who holds attempt ``attempt`` of ``entry`` (after a put that did not write every claim)."""
    q = Query(kinds=(KIND,), labels={"notification": entry.id})
    for r in store.query(q):
        if r.id == f"{entry.id}:a{attempt}":
            return str(r.data.get("claimed_by", ""))
    return ""


def fold(records: Iterable[Record]) -> dict[str, Entry]:
    """Entries from their events (oldest first)."""
    entries: dict[str, Entry] = {}
    # events written in the same instant (a simulated clock, a coarse one) keep their causal order
    for r in sorted(records, key=lambda r: (r.time, r.data.get("attempt", 0), _RANK[r.data["event"]])):
        d = r.data
        nid = d["notification_id"]
        ev = d["event"]
        if ev == "queued":
            entries[nid] = Entry(
                id=nid,
                integration=d["integration"],
                receiver=d["receiver"],
                target=d["target"],
                group_key=d["group_key"],
                status=d["status"],
                firing=d["firing"],
                resolved=d["resolved"],
                queued_at=r.time,
                payload=d.get("payload") or {},
            )
            continue
        entry = entries.get(nid)
        if entry is None or entry.done:
            continue
        if ev == "attempt":
            entry = replace(
                entry,
                state="in_flight",
                attempts=max(entry.attempts, d["attempt"]),
                claimed_at=r.time,
                last_attempt_at=r.time,
            )
        elif ev == "failed":
            nxt = d.get("next_attempt_at")
            entry = replace(
                entry,
                state="retrying",
                last_error=d["error"],
                claimed_at=None,
                next_attempt_at=datetime.fromisoformat(nxt) if isinstance(nxt, str) else nxt,
            )
        elif ev in DONE:
            error = "" if ev == "sent" else d.get("error") or entry.last_error
            entry = replace(entry, state=ev, last_error=error, finished_at=r.time)
        entries[nid] = entry
    return entries


def load(store: Store, since: datetime, until: datetime | None = None) -> dict[str, Entry]:
    return fold(store.query(Query(kinds=(KIND,), since=since, until=until, newest_first=False)))


@dataclass(frozen=True)
class Backoff:
    initial: timedelta
    maximum: timedelta

    def delay(self, attempt: int, rng: random.Random) -> timedelta:
        """Exponential (initial · 2^(attempt-1), capped) with equal jitter: half fixed, half random."""
        base = min(self.maximum.total_seconds(), self.initial.total_seconds() * 2 ** max(0, attempt - 1))
        return timedelta(seconds=base / 2 + rng.uniform(0, base / 2))
