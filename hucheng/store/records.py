"""The values the store deals in: a :class:`Record`, a :class:`Query`, and what ``put``/``stats`` return.

These are plain frozen dataclasses with no backend in them; every backend (SQLite today,
Elasticsearch later) takes and returns exactly these.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from hucheng.errors import RecordSchemaError

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
#: label names: Prometheus' alphabet plus ``.``, ``-`` and ``/`` (``app.kubernetes.io/name``)
LABEL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_./-]*")


def _new_id() -> str:
    return uuid.uuid4().hex


def to_utc(value: datetime, what: str) -> datetime:
    """``value`` in UTC; a naive datetime is a caller's bug, reported as :class:`RecordSchemaError`."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise RecordSchemaError(f"{what} {value.isoformat()} has no timezone; use a tz-aware datetime (UTC)")
    return value.astimezone(UTC)


def to_micros(value: datetime) -> int:
    """Whole microseconds since the Unix epoch (exact, no float rounding)."""
    return (value - EPOCH) // _MICROSECOND


def from_micros(micros: int) -> datetime:
    return EPOCH + timedelta(microseconds=micros)


@dataclass(frozen=True)
class Record:
    """One thing that happened, of a typed ``kind``, at ``time``.

    ``id`` makes a put idempotent: the first write of an id wins and later puts of the same id are
    ignored (and counted in :attr:`PutResult.ignored`); nothing is ever overwritten. Pass a
    deterministic id (e.g. ``f"{run_id}:{step}"``) when a retry must not duplicate a record.

    ``version`` is the kind's schema version ``data`` was written with. ``None`` on a new record means
    "the kind's current version"; records read from a store always carry an int, and their ``data``
    has been migrated to the current version.
    """

    kind: str
    time: datetime
    labels: Mapping[str, str] = field(default_factory=dict)
    data: Mapping[str, Any] = field(default_factory=dict)
    id: str = field(default_factory=_new_id)
    version: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "time", to_utc(self.time, f"{self.kind} record time"))
        labels = dict(self.labels)
        for key, value in labels.items():
            if not isinstance(key, str) or not LABEL_NAME.fullmatch(key):
                raise RecordSchemaError(
                    f"{self.kind} record label {key!r} is not a valid label name "
                    "(letters, digits, _ . - /; not starting with a digit)"
                )
            if not isinstance(value, str):
                raise RecordSchemaError(f"{self.kind} record label {key!r} must be a string, not {value!r}")
        object.__setattr__(self, "labels", labels)
        if not self.id or not isinstance(self.id, str):
            raise RecordSchemaError(f"{self.kind} record id must be a non-empty string")


@dataclass(frozen=True)
class Query:
    """Which records to read. ``since`` is inclusive, ``until`` exclusive; labels match by equality."""

    kinds: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    limit: int | None = None
    newest_first: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "kinds", tuple(self.kinds))
        if self.since is not None:
            object.__setattr__(self, "since", to_utc(self.since, "query since"))
        if self.until is not None:
            object.__setattr__(self, "until", to_utc(self.until, "query until"))
        for key in self.labels:
            if not LABEL_NAME.fullmatch(key):
                raise RecordSchemaError(f"query label {key!r} is not a valid label name")
        object.__setattr__(self, "labels", dict(self.labels))
        if self.limit is not None and self.limit < 0:
            raise RecordSchemaError(f"query limit must be 0 or more, not {self.limit}")


@dataclass(frozen=True)
class PutResult:
    #: records stored by this put
    written: int
    #: records whose id was already in the store (first write wins; these changed nothing)
    ignored: int


@dataclass(frozen=True)
class StoreStats:
    location: str
    schema_version: int
    counts: Mapping[str, int]
    oldest: datetime | None
    newest: datetime | None
    size_bytes: int | None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def record_to_json(record: Record) -> dict[str, Any]:
    """The interchange form (JSON lines export, Elasticsearch documents)."""
    return {
        "id": record.id,
        "kind": record.kind,
        "time": record.time.isoformat(),
        "version": record.version,
        "labels": dict(record.labels),
        "data": dict(record.data),
    }


def record_from_json(obj: Any) -> Record:
    """Parse :func:`record_to_json` output; raise :class:`RecordSchemaError` naming the bad key."""
    if not isinstance(obj, dict):
        raise RecordSchemaError(f"expected a JSON object, got {type(obj).__name__}")
    known = {"id", "kind", "time", "version", "labels", "data"}
    for key in obj:
        if key not in known:
            raise RecordSchemaError(f"unknown key {key!r}; expected {', '.join(sorted(known))}")
    for key, kind_of in (("id", str), ("kind", str), ("time", str), ("labels", dict), ("data", dict)):
        if not isinstance(obj.get(key), kind_of):
            raise RecordSchemaError(f"key {key!r} must be a {kind_of.__name__}, got {obj.get(key)!r}")
    version = obj.get("version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool) or version < 1):
        raise RecordSchemaError(f"key 'version' must be a positive integer, got {version!r}")
    try:
        time = datetime.fromisoformat(obj["time"])
    except ValueError as exc:
        raise RecordSchemaError(f"key 'time' is not an ISO-8601 time: {obj['time']!r}") from exc
    return Record(
        kind=obj["kind"], time=time, labels=obj["labels"], data=obj["data"], id=obj["id"], version=version
    )
