"""Rows for ``tianyan deliveries`` and ``tianyan silence ls`` (plain data; the CLI renders them)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hucheng.store import Store
from tianyan.notify import outbox
from tianyan.notify.silences import Silence


def _seconds(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None


def delivery_rows(
    store: Store, now: datetime, since: timedelta, state: str | None = None
) -> list[dict[str, Any]]:
    entries = outbox.load(store, since=now - since)
    rows = []
    for e in sorted(entries.values(), key=lambda e: e.queued_at, reverse=True):
        if state is not None and e.state != state:
            continue
        rows.append(
            {
                "id": e.id,
                "queued_at": e.queued_at.isoformat(timespec="seconds"),
                "receiver": e.receiver,
                "channel": e.integration.split("/")[1] if "/" in e.integration else e.integration,
                "target": e.target,
                "status": e.status,
                "alerts": e.firing + e.resolved,
                "state": e.state,
                "attempts": e.attempts,
                "next_attempt_at": _seconds(e.next_attempt_at) if not e.done else None,
                "finished_at": _seconds(e.finished_at),
                "error": e.last_error,
                "group_key": e.group_key,
            }
        )
    return rows


def silence_row(s: Silence, now: datetime) -> dict[str, Any]:
    return {
        "id": s.id,
        "state": s.state(now),
        "matchers": ", ".join(str(m) for m in s.matchers),
        "starts_at": s.starts_at.isoformat(timespec="seconds"),
        "ends_at": s.ends_at.isoformat(timespec="seconds"),
        "created_by": s.created_by,
        "comment": s.comment,
    }
