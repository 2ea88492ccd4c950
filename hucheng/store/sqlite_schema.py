"""Opening an SQLite store file safely: check it is ours, create or upgrade its schema, translate errors.

A file is ours when its header carries hucheng's ``application_id``. An empty database is made ours;
anything else (not SQLite, an SQLite database with other tables) is refused and left byte-for-byte
as it was. The schema version lives in ``PRAGMA user_version``.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from hucheng.errors import StoreCorruptError, StoreError, StoreVersionError

log = logging.getLogger(__name__)

T = TypeVar("T")

#: "HUCH": marks a file as a hucheng store (SQLite's application_id header field)
APPLICATION_ID = 0x48554348
#: the store schema this code writes; bump it and add an entry to SCHEMA_UPGRADES together
SCHEMA_VERSION = 1
#: statements that take the store schema from version N to N + 1
SCHEMA_UPGRADES: dict[int, tuple[str, ...]] = {}
SCHEMA_V1 = (
    """CREATE TABLE records (
        id TEXT PRIMARY KEY NOT NULL,
        kind TEXT NOT NULL,
        ts INTEGER NOT NULL,
        version INTEGER NOT NULL,
        labels TEXT NOT NULL,
        data TEXT NOT NULL
    )""",
    "CREATE INDEX records_kind_ts ON records (kind, ts)",
    "CREATE INDEX records_ts ON records (ts)",
)
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 30.0
LOCK_RETRIES = 6


def is_locked(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def retry_locked(fn: Callable[[], T]) -> T:
    """Run ``fn``; when SQLite still says "database is locked" after its busy timeout, back off and retry."""
    delay = 0.02
    for attempt in range(1, LOCK_RETRIES + 1):
        try:
            return fn()
        except sqlite3.OperationalError as exc:
            if not is_locked(exc) or attempt == LOCK_RETRIES:
                raise
            log.debug("store locked (attempt %d of %d): %s", attempt, LOCK_RETRIES, exc)
            time.sleep(delay + random.uniform(0, delay))
            delay = min(delay * 2, 2.0)
    raise AssertionError("unreachable")


def translate(exc: sqlite3.Error, path: Path) -> StoreError:
    """One :class:`StoreError` line for an sqlite3 error; the caller raises it ``from exc``."""
    text = str(exc)
    lower = text.lower()
    if "not a database" in lower:
        return StoreCorruptError(
            f"{path}: not a hucheng store (not an SQLite database); move it away or use another --store"
        )
    if "malformed" in lower or "corrupt" in lower:
        return StoreCorruptError(
            f"{path}: the store file is damaged ({text}); restore it from a backup or use another --store"
        )
    if is_locked(exc):
        return StoreError(f"{path}: the store stayed locked by another process ({text}); try again")
    if "readonly" in lower or "read-only" in lower:
        return StoreError(f"{path}: the store is read-only ({text}); check the file's permissions")
    if "unable to open" in lower:
        return StoreError(f"{path}: cannot open the store ({text}); check the path and permissions")
    return StoreError(f"{path}: store error: {text}")


def check_path(path: Path) -> None:
    """Refuse a path that is a directory or a non-SQLite file; create parent directories of a new one."""
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not a store file; use e.g. sqlite:///{path}/hucheng.db")
    if path.exists():
        try:
            with path.open("rb") as fh:
                header = fh.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise StoreError(f"{path}: cannot read the store ({exc.strerror}); check permissions") from exc
        if header and header != SQLITE_HEADER:
            raise StoreCorruptError(
                f"{path}: not a hucheng store (not an SQLite database); move it away or use another --store"
            )
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"{path}: cannot create the store's directory ({exc.strerror}); check the path"
        ) from exc


@dataclass(frozen=True)
class _Identity:
    application_id: int
    user_version: int
    tables: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return self.application_id == 0 and self.user_version == 0 and not self.tables


def _identity(conn: sqlite3.Connection) -> _Identity:
    """The database's id, version and tables, read from one snapshot: read one at a time, another
    process creating the schema in between showed a half-made store (its tables without its id) and
    was refused as "not a hucheng store"."""
    if conn.in_transaction:
        return _read_identity(conn)
    conn.execute("BEGIN")
    try:
        return _read_identity(conn)
    finally:
        if conn.in_transaction:  # (after some errors SQLite has already ended it)
            conn.execute("COMMIT")


def _read_identity(conn: sqlite3.Connection) -> _Identity:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = tuple(r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
    return _Identity(int(app_id), int(user_version), tables)


def _check_ours(ident: _Identity, path: Path) -> None:
    if ident.application_id != APPLICATION_ID:
        shown = ", ".join(ident.tables[:5]) or "none"
        raise StoreCorruptError(
            f"{path}: an SQLite database that is not a hucheng store (tables: {shown}); "
            "leaving it untouched; use another --store"
        )
    if ident.user_version > SCHEMA_VERSION:
        raise StoreVersionError(
            f"{path}: store schema version {ident.user_version} is newer than this hucheng understands "
            f"({SCHEMA_VERSION}); upgrade hucheng or use another --store"
        )


def ensure_schema(conn: sqlite3.Connection, path: Path) -> int:
    """Make ``conn``'s database a current hucheng store, or raise; return the schema version."""
    ident = _identity(conn)
    if not ident.empty:
        _check_ours(ident, path)
        if ident.user_version == SCHEMA_VERSION:
            _ensure_wal(conn)
            return SCHEMA_VERSION
    elif conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("BEGIN IMMEDIATE")
    try:
        ident = _identity(conn)  # again, under the write lock: another process may have been first
        if ident.empty:
            log.debug("creating hucheng store schema %d in %s", SCHEMA_VERSION, path)
            for statement in SCHEMA_V1:
                conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            version = 1
        else:
            _check_ours(ident, path)
            version = ident.user_version
        for n in range(version, SCHEMA_VERSION):
            log.info("upgrading store %s from schema %d to %d", path, n, n + 1)
            for statement in SCHEMA_UPGRADES[n]:
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    _ensure_wal(conn)
    return SCHEMA_VERSION


def _ensure_wal(conn: sqlite3.Connection) -> None:
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    if mode != "wal":
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode != "wal":
            log.warning("store could not switch to WAL (journal_mode=%s); concurrent writers will wait", mode)


def connect(path: Path) -> sqlite3.Connection:
    """An open, checked, current connection to the store at ``path``; raises a :class:`StoreError`."""
    check_path(path)
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as exc:
        raise translate(exc, path) from exc
    try:
        retry_locked(lambda: ensure_schema(conn, path))
        conn.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.Error as exc:
        conn.close()
        raise translate(exc, path) from exc
    except BaseException:
        conn.close()
        raise
    return conn
