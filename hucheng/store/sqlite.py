"""The embedded default backend: one SQLite file in WAL mode, safe for several processes at once.

Writers take the write lock up front (``BEGIN IMMEDIATE``), wait up to the busy timeout for it and
back off and retry when SQLite still reports "database is locked"; readers never block writers (WAL).
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from hucheng.store.interface import Store
from hucheng.store.kinds import KindRegistry
from hucheng.store.records import PutResult, Query, Record, StoreStats, from_micros, to_micros, to_utc
from hucheng.store.sqlite_schema import SCHEMA_VERSION, connect, retry_locked, translate

log = logging.getLogger(__name__)

T = TypeVar("T")

_INSERT = "INSERT OR IGNORE INTO records (id, kind, ts, version, labels, data) VALUES (?, ?, ?, ?, ?, ?)"
_COLUMNS = "id, kind, ts, version, labels, data"
_FETCH_BATCH = 500


def where_clause(q: Query) -> tuple[str, list[Any]]:
    """SQL ``WHERE`` text (or "") and its parameters for ``q``'s kinds, time range and labels."""
    clauses: list[str] = []
    params: list[Any] = []
    if q.kinds:
        clauses.append(f"kind IN ({', '.join('?' * len(q.kinds))})")
        params.extend(q.kinds)
    if q.since is not None:
        clauses.append("ts >= ?")
        params.append(to_micros(q.since))
    if q.until is not None:
        clauses.append("ts < ?")
        params.append(to_micros(q.until))
    for key, value in sorted(q.labels.items()):
        # label names cannot contain '"' (records.LABEL_NAME), so the quoted JSON path is exact
        clauses.append("json_extract(labels, ?) = ?")
        params.extend((f'$."{key}"', value))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


class SQLiteStore(Store):
    def __init__(self, path: Path, kinds: KindRegistry) -> None:
        self.path = path
        self.kinds = kinds
        self._conn: sqlite3.Connection | None = connect(path)
        log.debug("opened store %s", path)

    @property
    def location(self) -> str:
        return str(self.path)

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError(f"store {self.path} is closed")
        return self._conn

    def _read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        try:
            return retry_locked(lambda: fn(self._connection()))
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc

    def _write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn`` in one ``BEGIN IMMEDIATE`` transaction: all of it is committed or none of it."""
        conn = self._connection()

        def attempt() -> T:
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = fn(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            return result

        try:
            return retry_locked(attempt)
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc

    def put(self, records: Iterable[Record]) -> PutResult:
        rows = []
        for record in records:
            prepared, data_text = self.kinds.prepare(record)
            labels = json.dumps(prepared.labels, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            rows.append(
                (prepared.id, prepared.kind, to_micros(prepared.time), prepared.version, labels, data_text)
            )
        if not rows:
            return PutResult(written=0, ignored=0)

        def insert(conn: sqlite3.Connection) -> int:
            before = conn.total_changes
            conn.executemany(_INSERT, rows)
            return conn.total_changes - before

        written = self._write(insert)
        return PutResult(written=written, ignored=len(rows) - written)

    def query(self, q: Query) -> Iterator[Record]:
        where, params = where_clause(q)
        order = "DESC" if q.newest_first else "ASC"
        sql = f"SELECT {_COLUMNS} FROM records{where} ORDER BY ts {order}, id {order}"
        if q.limit is not None:
            sql += " LIMIT ?"
            params.append(q.limit)
        return self._iterate(sql, params)

    def _iterate(self, sql: str, params: list[Any]) -> Iterator[Record]:
        try:
            cursor = retry_locked(lambda: self._connection().execute(sql, params))
            try:
                while batch := cursor.fetchmany(_FETCH_BATCH):
                    for row in batch:
                        yield self.kinds.upgrade(_row_to_record(row))
            finally:
                cursor.close()
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc

    def count(self, q: Query) -> int:
        where, params = where_clause(q)
        total = int(
            self._read(lambda c: c.execute(f"SELECT COUNT(*) FROM records{where}", params).fetchone()[0])
        )
        return total if q.limit is None else min(total, q.limit)

    def prune(self, before: datetime, kinds: Iterable[str] = ()) -> int:
        where, params = where_clause(Query(kinds=tuple(kinds), until=to_utc(before, "prune before")))
        removed = self._write(lambda c: c.execute(f"DELETE FROM records{where}", params).rowcount)
        log.info("pruned %d records older than %s from %s", removed, before.isoformat(), self.path)
        return int(removed)

    def stats(self) -> StoreStats:
        sql = "SELECT kind, COUNT(*), MIN(ts), MAX(ts) FROM records GROUP BY kind ORDER BY kind"
        rows = self._read(lambda c: c.execute(sql).fetchall())
        counts = {str(kind): int(n) for kind, n, _, _ in rows}
        oldest = min((r[2] for r in rows), default=None)
        newest = max((r[3] for r in rows), default=None)
        return StoreStats(
            location=self.location,
            schema_version=SCHEMA_VERSION,
            counts=counts,
            oldest=None if oldest is None else from_micros(oldest),
            newest=None if newest is None else from_micros(newest),
            size_bytes=self._size_bytes(),
        )

    def _size_bytes(self) -> int:
        total = 0
        for suffix in ("", "-wal"):
            with contextlib.suppress(OSError):
                total += Path(f"{self.path}{suffix}").stat().st_size
        return total

    def check_writable(self) -> None:
        # a write transaction that rewrites the header field with the value it already has
        self._write(lambda conn: conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}"))

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _row_to_record(row: tuple[Any, ...]) -> Record:
    record_id, kind, ts, version, labels, data = row
    return Record(
        kind=kind,
        time=from_micros(ts),
        labels=json.loads(labels),
        data=json.loads(data),
        id=record_id,
        version=int(version),
    )
