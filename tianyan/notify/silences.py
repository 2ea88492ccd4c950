"""Silences in the record store: add, list, expire, and which alerts they mute now."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from hucheng.store import Query, Record, Store
from tianyan.errors import SilenceError
from tianyan.notify.matchers import Matcher, MatcherSyntaxError, matches_all, parse_matchers

KIND = "tianyan_silence"


@dataclass(frozen=True)
class Silence:
    id: str
    matchers: tuple[Matcher, ...]
    starts_at: datetime
    ends_at: datetime
    created_by: str
    comment: str

    def state(self, now: datetime) -> str:
        if now < self.starts_at:
            return "pending"
        return "active" if now < self.ends_at else "expired"

    def mutes(self, labels: Mapping[str, str], now: datetime) -> bool:
        return self.state(now) == "active" and matches_all(self.matchers, labels)


def parse_silence_matchers(texts: Sequence[str]) -> tuple[Matcher, ...]:
    out: list[Matcher] = []
    for text in texts:
        try:
            out.extend(parse_matchers(text))
        except MatcherSyntaxError as exc:
            raise SilenceError(f"--matcher {text!r}: {exc}") from exc
    if not out:
        raise SilenceError("a silence needs at least one --matcher, e.g. --matcher 'service=\"pay\"'")
    if all(m.matches({}) for m in out):
        raise SilenceError("these matchers match every alert (even one without labels); be more specific")
    return tuple(out)


def _record(s: Silence, now: datetime, version: str) -> Record:
    return Record(
        kind=KIND,
        time=now,
        labels={"silence": s.id},
        id=f"{s.id}:{version}",
        data={
            "silence_id": s.id,
            "matchers": [str(m) for m in s.matchers],
            "starts_at": s.starts_at.isoformat(),
            "ends_at": s.ends_at.isoformat(),
            "created_by": s.created_by,
            "comment": s.comment,
        },
    )


def add_silence(
    store: Store,
    matchers: Sequence[str],
    duration: timedelta,
    *,
    comment: str,
    author: str,
    now: datetime,
    starts_at: datetime | None = None,
) -> Silence:
    if duration <= timedelta(0):
        raise SilenceError("--duration must be more than 0s")
    start = starts_at or now
    silence = Silence(
        uuid.uuid4().hex[:12], parse_silence_matchers(matchers), start, start + duration, author, comment
    )
    store.put([_record(silence, now, "v1")])
    return silence


def _from_record(record: Record) -> Silence:
    d = record.data
    matchers: list[Matcher] = []
    for text in d["matchers"]:
        matchers.extend(parse_matchers(text))
    return Silence(
        d["silence_id"],
        tuple(matchers),
        datetime.fromisoformat(d["starts_at"]),
        datetime.fromisoformat(d["ends_at"]),
        d.get("created_by", ""),
        d.get("comment", ""),
    )


def list_silences(store: Store) -> list[Silence]:
    """Every silence in its newest form, newest first."""
    seen: dict[str, Silence] = {}
    for record in store.query(Query(kinds=(KIND,), newest_first=True)):
        sid = record.labels.get("silence", "")
        if sid not in seen:
            seen[sid] = _from_record(record)
    return sorted(seen.values(), key=lambda s: s.starts_at, reverse=True)


def active_silences(store: Store, now: datetime) -> list[Silence]:
    return [s for s in list_silences(store) if s.state(now) == "active"]


def expire_silence(store: Store, silence_id: str, now: datetime) -> Silence:
    found = [s for s in list_silences(store) if s.id == silence_id or s.id.startswith(silence_id)]
    if not found:
        raise SilenceError(f"no silence {silence_id!r}; see `hucheng tianyan silence ls`")
    if len(found) > 1:
        raise SilenceError(f"{silence_id!r} names {len(found)} silences; give more of the id")
    s = found[0]
    if s.state(now) == "expired":
        return s
    from dataclasses import replace

    expired = replace(s, ends_at=now, starts_at=min(s.starts_at, now))
    store.put([_record(expired, now, f"expired-{int(now.timestamp() * 1e6)}")])
    return expired
