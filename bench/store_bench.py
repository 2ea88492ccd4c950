"""Record store benchmark: hucheng's SQLiteStore against raw sqlite3, side by side in one run.

    python bench/store_bench.py [--records N] [--query-records M] [--json]

1. insert throughput: SQLiteStore.put vs sqlite3 executemany of the same records (same table, same
   indexes, same WAL settings, same JSON encoding); the ratio is hucheng's cost for validation.
2. a time-range query (one hour, one kind) over M records (default 1,000,000).
3. 4 processes writing 10,000 records each at once: records found vs expected, "database is locked"
   errors (must be 0).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from hucheng.errors import StoreError
from hucheng.store import KindRegistry, Query, Record, RecordKind, default_kinds, open_store
from hucheng.store.records import to_micros
from hucheng.store.sqlite_schema import SCHEMA_V1

T0 = datetime(2024, 1, 1, tzinfo=UTC)
BATCH = 1000
CYCLE = {
    "tools": {"tianyan": {"status": "ok", "detail": "12 checks"}},
    "duration_seconds": 3.5,
    "config": None,
}


class EventV1(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    message: str


def bench_kinds() -> KindRegistry:
    kinds = default_kinds()
    kinds.register(RecordKind("event", 1, EventV1))
    return kinds


def make_records(n: int, offset: int = 0, step_s: float = 30.0) -> list[Record]:
    out = []
    for i in range(offset, offset + n):
        t = T0 + timedelta(seconds=i * step_s)
        if i % 2:
            out.append(Record("cycle", t, {"service": f"svc-{i % 20}"}, CYCLE, id=f"r{i}"))
        else:
            out.append(
                Record("event", t, {"service": f"svc-{i % 20}"}, {"message": f"event {i}"}, id=f"r{i}")
            )
    return out


def bench_insert(records: list[Record], workdir: Path) -> dict[str, Any]:
    with open_store(str(workdir / "hucheng.db"), bench_kinds()) as store:
        start = time.perf_counter()
        for i in range(0, len(records), BATCH):
            store.put(records[i : i + BATCH])
        ours = time.perf_counter() - start
    with closing(sqlite3.connect(workdir / "raw.db", isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        for statement in SCHEMA_V1:
            conn.execute(statement)
        start = time.perf_counter()
        for i in range(0, len(records), BATCH):
            rows = [
                (r.id, r.kind, to_micros(r.time), 1, json.dumps(r.labels, sort_keys=True), json.dumps(r.data))
                for r in records[i : i + BATCH]
            ]
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT OR IGNORE INTO records VALUES (?, ?, ?, ?, ?, ?)", rows)
            conn.execute("COMMIT")
        raw = time.perf_counter() - start
    n = len(records)
    return {
        "records": n,
        "hucheng_per_s": round(n / ours),
        "raw_sqlite_per_s": round(n / raw),
        "ratio": round(raw / ours, 2),
    }


def bench_query(total: int, workdir: Path) -> dict[str, Any]:
    path = workdir / "big.db"
    start = time.perf_counter()
    with open_store(str(path), bench_kinds()) as store:
        for offset in range(0, total, 50_000):
            store.put(make_records(min(50_000, total - offset), offset))
        fill = time.perf_counter() - start
        middle = T0 + timedelta(seconds=total * 30 / 2)
        q = Query(kinds=("cycle",), since=middle, until=middle + timedelta(hours=1), limit=None)
        start = time.perf_counter()
        rows = list(store.query(q))
        query_s = time.perf_counter() - start
        start = time.perf_counter()
        labelled = list(store.query(Query(kinds=("cycle",), since=middle, until=middle + timedelta(days=1),
                                          labels={"service": "svc-3"})))  # fmt: skip
        label_s = time.perf_counter() - start
    return {
        "records": total,
        "fill_s": round(fill, 1),
        "hour_window_ms": round(query_s * 1000, 2),
        "hour_window_rows": len(rows),
        "day_window_label_ms": round(label_s * 1000, 2),
        "day_window_label_rows": len(labelled),
    }


def _writer(url: str, writer: int, per_writer: int) -> tuple[int, int]:
    written = locked = 0
    with open_store(url, bench_kinds()) as store:
        for start in range(0, per_writer, 100):
            batch = make_records(100, writer * per_writer + start)
            try:
                written += store.put(batch).written
            except StoreError as exc:
                if "locked" not in str(exc):
                    raise
                locked += 1
    return written, locked


def bench_concurrent(workdir: Path, writers: int = 4, per_writer: int = 10_000) -> dict[str, Any]:
    url = f"sqlite:///{workdir / 'shared.db'}"
    start = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(writers) as pool:
        results = pool.starmap(_writer, [(url, w, per_writer) for w in range(writers)])
    elapsed = time.perf_counter() - start
    with open_store(url, bench_kinds()) as store:
        found = store.count(Query())
    return {
        "writers": writers,
        "expected": writers * per_writer,
        "found": found,
        "locked_errors": sum(locked for _, locked in results),
        "seconds": round(elapsed, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=100_000, help="records for the insert comparison")
    parser.add_argument("--query-records", type=int, default=1_000_000, help="records for the range query")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hucheng-bench-") as tmp:
        workdir = Path(tmp)
        results = {
            "insert": bench_insert(make_records(args.records), workdir),
            "query": bench_query(args.query_records, workdir),
            "concurrent": bench_concurrent(workdir),
        }
    if args.json:
        json.dump(results, sys.stdout, indent=2)
        print()
        return 0
    ins, qry, conc = results["insert"], results["query"], results["concurrent"]
    print(f"insert {ins['records']:,} records (batches of {BATCH}):")
    print(f"  hucheng SQLiteStore.put   {ins['hucheng_per_s']:>10,} records/s")
    print(f"  raw sqlite3 executemany   {ins['raw_sqlite_per_s']:>10,} records/s")
    print(f"  ratio hucheng/raw         {ins['ratio']:>10}x")
    print(f"time-range query over {qry['records']:,} records (filled in {qry['fill_s']} s):")
    print(f"  1 hour + kind            {qry['hour_window_ms']:>10} ms, {qry['hour_window_rows']} rows")
    print(
        f"  1 day + kind + label     {qry['day_window_label_ms']:>10} ms, {qry['day_window_label_rows']} rows"
    )
    print(f"{conc['writers']} processes writing at once ({conc['seconds']} s):")
    print(f"  records found / expected  {conc['found']:,} / {conc['expected']:,}")
    print(f"  'database is locked'      {conc['locked_errors']}")
    return 0 if conc["found"] == conc["expected"] and conc["locked_errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
