"""Export and import as JSON lines: round trip, idempotence, and a bad line writes nothing."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from store_testkit import T0, note, test_kinds

from hucheng.errors import RecordSchemaError, StoreError
from hucheng.store import Query, Record, Store, open_store
from hucheng.store.jsonl import export_jsonl, export_to_file, import_jsonl


def _fill(store: Store) -> list[Record]:
    records = [note(str(i), T0 + timedelta(minutes=i), labels={"service": "api"}) for i in range(5)]
    records.append(Record(kind="probe", time=T0, data={"ms": 7}, id="probe-1"))
    store.put(records)
    return records


def test_export_import_round_trip(store: Store, tmp_path: Path) -> None:
    _fill(store)
    out = tmp_path / "out.jsonl"
    assert export_to_file(store, Query(newest_first=False), out) == 6
    first = json.loads(out.read_text().splitlines()[0])
    assert set(first) == {"id", "kind", "time", "version", "labels", "data"}
    with open_store(str(tmp_path / "copy.db"), test_kinds()) as copy:
        result = import_jsonl(copy, out)
        assert (result.written, result.ignored) == (6, 0)
        assert list(copy.query(Query())) == list(store.query(Query()))
        again = import_jsonl(copy, out)
        assert (again.written, again.ignored) == (0, 6)
        assert copy.count(Query()) == 6


def test_export_to_stream_filters(store: Store) -> None:
    _fill(store)
    buf = io.StringIO()
    assert export_jsonl(store, Query(kinds=("probe",)), buf) == 1
    assert json.loads(buf.getvalue())["id"] == "probe-1"


def _lines(store: Store) -> list[str]:
    buf = io.StringIO()
    export_jsonl(store, Query(newest_first=False), buf)
    return buf.getvalue().splitlines()


def test_bad_json_on_line_3_writes_nothing(store: Store, tmp_path: Path) -> None:
    _fill(store)
    lines = _lines(store)
    lines[2] = lines[2][:-5]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n")
    with open_store(str(tmp_path / "copy.db"), test_kinds()) as copy:
        with pytest.raises(StoreError, match=r"bad\.jsonl:3: not valid JSON"):
            import_jsonl(copy, bad)
        assert copy.count(Query()) == 0


def test_schema_error_on_line_3_names_line_and_key(store: Store, tmp_path: Path) -> None:
    _fill(store)
    lines = _lines(store)
    obj = json.loads(lines[2])
    obj["data"] = {"txt": "typo"}
    lines[2] = json.dumps(obj)
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n")
    with open_store(str(tmp_path / "copy.db"), test_kinds()) as copy:
        with pytest.raises(RecordSchemaError, match=r"bad\.jsonl:3: 'note' record data key 'text'"):
            import_jsonl(copy, bad)
        assert copy.count(Query()) == 0


def test_unknown_top_level_key_is_named(tmp_path: Path, store: Store) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps({"id": "x", "kind": "note", "time": T0.isoformat(), "labels": {}, "data": {}, "tags": 1})
    )
    with pytest.raises(RecordSchemaError, match=r"bad\.jsonl:1: unknown key 'tags'"):
        import_jsonl(store, bad)


def test_failed_export_leaves_no_file(store: Store, tmp_path: Path) -> None:
    _fill(store)
    target = tmp_path / "out.jsonl"
    with open_store(str(tmp_path / "v2.db"), test_kinds(probe_version=2)) as newer:
        newer.put([Record(kind="probe", time=T0, data={"latency_seconds": 1.0, "ok": True})])
    with (
        open_store(str(tmp_path / "v2.db"), test_kinds(probe_version=1)) as older,
        pytest.raises(RecordSchemaError),
    ):
        export_to_file(older, Query(), target)
    assert list(tmp_path.glob("*.jsonl*")) == []
