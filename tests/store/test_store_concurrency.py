"""Several processes writing to one store at once (cron monitors and a CLI together)."""

from __future__ import annotations

import multiprocessing
from datetime import timedelta
from pathlib import Path

from store_testkit import T0, note, test_kinds

from hucheng.store import Query, open_store

WRITERS = 4
PER_WRITER = 2000
BATCH = 50


def write_records(url: str, writer: int) -> int:
    """Run in a spawned process: put PER_WRITER records in small batches, each batch its own transaction."""
    written = 0
    with open_store(url, test_kinds()) as store:
        for start in range(0, PER_WRITER, BATCH):
            batch = [
                note(
                    f"{writer}-{i}",
                    T0 + timedelta(seconds=i),
                    id=f"w{writer}-{i}",
                    labels={"writer": str(writer)},
                )
                for i in range(start, start + BATCH)
            ]
            written += store.put(batch).written
    return written


def test_four_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared' / 'h.db'}"  # no store yet: the writers race to create it too
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(WRITERS) as pool:
        results = pool.starmap(write_records, [(url, w) for w in range(WRITERS)])
    assert results == [PER_WRITER] * WRITERS
    with open_store(url, test_kinds()) as store:
        assert store.count(Query()) == WRITERS * PER_WRITER
        for w in range(WRITERS):
            assert store.count(Query(labels={"writer": str(w)})) == PER_WRITER


def test_a_store_created_by_another_process_between_two_reads_is_not_taken_for_a_stranger(
    tmp_path: Path,
) -> None:
    """The race four writers hit now and then: while one connection reads the database's identity,
    another creates the schema. The identity must come from one snapshot, not half from each."""
    import sqlite3

    from hucheng.store.sqlite_schema import SCHEMA_VERSION, ensure_schema

    path = tmp_path / "h.db"
    setup = sqlite3.connect(path)  # an empty database already in WAL mode, as the first opener leaves it
    setup.execute("PRAGMA journal_mode=WAL")
    setup.close()
    other = sqlite3.connect(path, isolation_level=None)
    mine = sqlite3.connect(path, isolation_level=None)
    created: list[int] = []

    def between_reads(statement: str) -> None:
        # the other process creates the store right after this one read the application id
        if statement.startswith("PRAGMA user_version") and not created:
            created.append(ensure_schema(other, path))

    mine.set_trace_callback(between_reads)
    try:
        assert ensure_schema(mine, path) == SCHEMA_VERSION
    finally:
        mine.set_trace_callback(None)
        mine.close()
        other.close()
    assert created == [SCHEMA_VERSION]  # the other connection really did create it in between
