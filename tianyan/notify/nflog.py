"""The notification log: what was last notified per group and channel, and whether to notify again.

``needs_update`` is Alertmanager's DedupStage rule: notify when a firing alert is new since the
last notification, when every alert has resolved (if anything had been notified firing), when a
resolved alert is new and the channel wants resolved messages, or when ``repeat_interval`` passed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Set
from dataclasses import dataclass
from datetime import datetime, timedelta

from hucheng.store import Query, Record, Store
from hucheng.store.records import to_micros

KIND = "tianyan_nflog"
#: how long entries matter (Alertmanager keeps its notification log 120h by default)
RETENTION = timedelta(hours=120)


@dataclass(frozen=True)
class NflogEntry:
    time: datetime
    firing: frozenset[str]
    resolved: frozenset[str]


def log_key(group_key: str, integration: str) -> str:
    return hashlib.sha256(f"{group_key}\x00{integration}".encode()).hexdigest()[:24]


def load_latest(store: Store, since: datetime) -> dict[str, NflogEntry]:
    """The newest entry of every group and channel notified since ``since``, by :func:`log_key`."""
    out: dict[str, NflogEntry] = {}
    for record in store.query(Query(kinds=(KIND,), since=since, newest_first=True)):
        key = record.labels.get("nflog", "")
        if key not in out:
            out[key] = NflogEntry(
                record.time, frozenset(record.data["firing"]), frozenset(record.data["resolved"])
            )
    return out


def entry_record(
    group_key: str, integration: str, firing: Set[str], resolved: Set[str], now: datetime
) -> Record:
    key = log_key(group_key, integration)
    return Record(
        kind=KIND,
        time=now,
        labels={"nflog": key},
        id=f"{key}:{to_micros(now)}",
        data={
            "group_key": group_key,
            "integration": integration,
            "firing": sorted(firing),
            "resolved": sorted(resolved),
        },
    )


def needs_update(
    entry: NflogEntry | None,
    firing: Set[str],
    resolved: Set[str],
    *,
    send_resolved: bool,
    repeat: timedelta,
    now: datetime,
) -> bool:
    if entry is None:
        return bool(firing)
    if not firing <= entry.firing:
        return True
    if not firing:
        return bool(entry.firing)
    if send_resolved and not resolved <= entry.resolved:
        return True
    return entry.time < now - repeat
