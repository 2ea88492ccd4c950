"""Export and import records as JSON lines: one object per line with id, kind, time, version, labels, data.

An import reads and validates the whole file before writing anything, then writes every record in one
``put`` (one transaction in SQLite): a bad line means nothing is written. Ids make it idempotent.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import IO

from hucheng.errors import RecordSchemaError, StoreError
from hucheng.progress import ProgressCallback, ProgressEvent, no_progress
from hucheng.store.interface import Store
from hucheng.store.kinds import KindRegistry
from hucheng.store.records import PutResult, Query, Record, record_from_json, record_to_json

log = logging.getLogger(__name__)

#: report progress every this many records or lines
PROGRESS_EVERY = 10_000


def export_jsonl(store: Store, q: Query, stream: IO[str], on_progress: ProgressCallback = no_progress) -> int:
    """Write the records ``q`` selects to ``stream``, one JSON object per line; return how many."""
    total = store.count(q)
    count = 0
    for record in store.query(q):
        stream.write(json.dumps(record_to_json(record), ensure_ascii=False, sort_keys=True))
        stream.write("\n")
        count += 1
        if count % PROGRESS_EVERY == 0:
            on_progress(ProgressEvent("export", count, total, "records"))
    on_progress(ProgressEvent("export", count, max(total, count), "records"))
    return count


def export_to_file(store: Store, q: Query, path: Path, on_progress: ProgressCallback = no_progress) -> int:
    """Like :func:`export_jsonl`, into ``path``; a failed export leaves no partial file behind."""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    except OSError as exc:
        raise StoreError(f"{path}: cannot write the export ({exc.strerror}); check the path") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            count = export_jsonl(store, q, fh, on_progress)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return count


def read_jsonl(path: Path, kinds: KindRegistry, on_progress: ProgressCallback = no_progress) -> list[Record]:
    """Every record in ``path``, each checked against ``kinds``; errors name ``file:line``."""
    records: list[Record] = []
    try:
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, start=1):
                if line.strip():
                    records.append(_parse_line(path, lineno, line, kinds))
                if lineno % PROGRESS_EVERY == 0:
                    on_progress(ProgressEvent("import", lineno, None, "lines checked"))
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the import file ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise StoreError(f"{path}: not UTF-8 text ({exc.reason}); expected JSON lines") from exc
    return records


def _parse_line(path: Path, lineno: int, line: str, kinds: KindRegistry) -> Record:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise StoreError(
            f"{path}:{lineno}: not valid JSON ({exc.msg} at column {exc.colno}); expected one record per line"
        ) from exc
    try:
        record = record_from_json(obj)
        kinds.prepare(record)
    except RecordSchemaError as exc:
        raise RecordSchemaError(f"{path}:{lineno}: {exc}") from exc
    return record


def import_jsonl(store: Store, path: Path, on_progress: ProgressCallback = no_progress) -> PutResult:
    """Validate all of ``path``, then put every record at once; records already stored are ignored."""
    records = read_jsonl(path, store.kinds, on_progress)
    on_progress(ProgressEvent("import", len(records), len(records), "records checked; writing"))
    result = store.put(records)
    log.info("imported %s: %d written, %d ignored", path, result.written, result.ignored)
    return result
