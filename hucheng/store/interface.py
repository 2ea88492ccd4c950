"""The record store interface every backend implements.

Nothing here is SQLite-specific. An Elasticsearch backend maps it onto the official client:
``put`` -> bulk helpers with ``op_type=create`` (an existing id is a 409 that counts as ignored),
``query``/``count`` -> a ``range`` query on ``time`` plus ``term`` filters on ``kind`` and labels,
``prune`` -> ``delete_by_query``, ``stats`` -> index stats plus a terms aggregation on ``kind``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from datetime import datetime
from types import TracebackType

from hucheng.store.kinds import KindRegistry
from hucheng.store.records import PutResult, Query, Record, StoreStats


class Store(ABC):
    """A place records are written to and read from.

    Guarantees every backend gives:

    * ``put`` validates every record (kind known, schema fits) before writing any; a put whose
      validation fails writes nothing.
    * ids are first-write-wins: putting an id that is already stored changes nothing and is counted
      as ignored, so retries and repeated imports are safe.
    * records come back from ``query`` migrated to their kind's current schema version.
    """

    kinds: KindRegistry

    @property
    @abstractmethod
    def location(self) -> str:
        """Where the store lives, for messages (a path, a URL without credentials)."""

    @abstractmethod
    def put(self, records: Iterable[Record]) -> PutResult:
        """Write ``records``. SQLite writes them in one transaction (all or nothing)."""

    @abstractmethod
    def query(self, q: Query) -> Iterator[Record]:
        """Records matching ``q``, ordered by time (newest first unless ``q.newest_first`` is False)."""

    @abstractmethod
    def count(self, q: Query) -> int:
        """How many records ``query(q)`` would yield (``q.limit`` applies)."""

    @abstractmethod
    def prune(self, before: datetime, kinds: Iterable[str] = ()) -> int:
        """Delete records older than ``before`` (of ``kinds``, or all kinds); return how many."""

    @abstractmethod
    def stats(self) -> StoreStats:
        """Location, schema version, counts per kind, oldest/newest time, size."""

    @abstractmethod
    def check_writable(self) -> None:
        """Raise :class:`~hucheng.errors.StoreError` unless a write would succeed now (for doctor)."""

    @abstractmethod
    def close(self) -> None:
        """Release connections; the store cannot be used afterwards. Safe to call twice."""

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
