"""The SQLite store through the Store interface: round trips, queries, ids, migrations, prune."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from store_testkit import T0, note, test_kinds

from hucheng.errors import RecordSchemaError
from hucheng.store import Query, Record, Store, default_kinds, open_store


def test_put_query_round_trip(store: Store) -> None:
    record = Record(kind="note", time=T0, labels={"service": "api", "team": "core"}, data={"text": "hi"})
    assert store.put([record]).written == 1
    [back] = store.query(Query())
    assert back == Record(
        kind="note", time=T0, labels={"service": "api", "team": "core"}, data={"text": "hi"},
        id=record.id, version=1,
    )  # fmt: skip
    assert back.time.tzinfo is not None


def test_time_range_since_inclusive_until_exclusive(store: Store) -> None:
    store.put(note(str(h), T0 + timedelta(hours=h)) for h in range(6))
    got = [
        r.data["text"]
        for r in store.query(Query(since=T0 + timedelta(hours=2), until=T0 + timedelta(hours=4)))
    ]
    assert got == ["3", "2"]


def test_kind_and_label_filters(store: Store) -> None:
    store.put(
        [
            note("a", labels={"service": "api"}),
            note("b", labels={"service": "web"}),
            Record(kind="probe", time=T0, labels={"service": "api"}, data={"ms": 5}),
        ]
    )
    assert {r.data["text"] for r in store.query(Query(kinds=("note",), labels={"service": "api"}))} == {"a"}
    assert store.count(Query(labels={"service": "api"})) == 2
    assert store.count(Query(labels={"service": "api", "team": "x"})) == 0


def test_limit_and_order(store: Store) -> None:
    store.put(note(str(i), T0 + timedelta(minutes=i)) for i in range(10))
    assert [r.data["text"] for r in store.query(Query(limit=3))] == ["9", "8", "7"]
    assert [r.data["text"] for r in store.query(Query(limit=2, newest_first=False))] == ["0", "1"]
    assert store.count(Query(limit=4)) == 4


def test_same_id_first_write_wins(store: Store) -> None:
    assert store.put([note("first", id="run-1"), note("dup-in-batch", id="run-1")]).ignored == 1
    result = store.put([note("second", id="run-1"), note("other", id="run-2")])
    assert (result.written, result.ignored) == (1, 1)
    assert [r.data["text"] for r in store.query(Query(newest_first=False))] in (
        ["first", "other"],
        ["other", "first"],
    )
    assert next(r for r in store.query(Query()) if r.id == "run-1").data == {"text": "first"}


def test_invalid_record_writes_nothing(store: Store) -> None:
    with pytest.raises(RecordSchemaError, match=r"'note' record data key 'text'"):
        store.put([note("ok"), Record(kind="note", time=T0, data={"text": 1, "extra": 2})])
    assert store.count(Query()) == 0


def test_unknown_kind_names_known_kinds(store: Store) -> None:
    with pytest.raises(RecordSchemaError, match=r"unknown record kind 'alert'; known kinds: note, probe"):
        store.put([Record(kind="alert", time=T0)])


def test_naive_time_is_refused() -> None:
    with pytest.raises(RecordSchemaError, match="no timezone"):
        Record(kind="note", time=T0.replace(tzinfo=None))


def test_old_records_are_migrated_on_read(db_path: Path) -> None:
    url = f"sqlite:///{db_path}"
    with open_store(url, test_kinds(probe_version=1)) as old:
        old.put([Record(kind="probe", time=T0, data={"ms": 250}, id="p1")])
    with open_store(url, test_kinds(probe_version=2)) as new:
        [record] = new.query(Query(kinds=("probe",)))
        assert (record.version, record.data) == (2, {"latency_seconds": 0.25, "ok": True})
        # an old-version record can still be put (e.g. an import of an old export): checked by migrating
        assert new.put([Record(kind="probe", time=T0, data={"ms": 1}, id="p2", version=1)]).written == 1
        with pytest.raises(RecordSchemaError, match="version 1 data cannot be migrated to version 2"):
            new.put([Record(kind="probe", time=T0, data={"ms": "x"}, id="p3", version=1)])


def test_record_from_a_newer_schema_version_is_an_error(db_path: Path) -> None:
    url = f"sqlite:///{db_path}"
    with open_store(url, test_kinds(probe_version=2)) as new:
        new.put([Record(kind="probe", time=T0, data={"latency_seconds": 1.0, "ok": False})])
    with open_store(url, test_kinds(probe_version=1)) as old:
        with pytest.raises(
            RecordSchemaError, match=r"schema version 2, newer than this hucheng understands \(1\)"
        ):
            list(old.query(Query()))
        with pytest.raises(RecordSchemaError, match="newer"):
            old.put([Record(kind="probe", time=T0, data={"ms": 1}, version=2)])


def test_prune_removes_only_older_records_of_given_kinds(store: Store) -> None:
    store.put([note("old", T0 - timedelta(days=100)), note("new", T0)])
    store.put([Record(kind="probe", time=T0 - timedelta(days=100), data={"ms": 1})])
    assert store.prune(T0 - timedelta(days=90), kinds=("note",)) == 1
    assert store.count(Query(kinds=("probe",))) == 1
    assert store.prune(T0 - timedelta(days=90)) == 1
    assert [r.data.get("text") for r in store.query(Query())] == ["new"]


def test_stats(store: Store, db_path: Path) -> None:
    store.put(
        [note("a", T0), note("b", T0 + timedelta(hours=1)), Record(kind="probe", time=T0, data={"ms": 1})]
    )
    stats = store.stats()
    assert stats.location == str(db_path)
    assert (stats.schema_version, dict(stats.counts), stats.total) == (1, {"note": 2, "probe": 1}, 3)
    assert (stats.oldest, stats.newest) == (T0, T0 + timedelta(hours=1))
    assert stats.size_bytes and stats.size_bytes > 0


def test_default_registry_has_the_cycle_kind(tmp_path: Path) -> None:
    data = {
        "tools": {"tianyan": {"status": "ok", "detail": "3 checks"}},
        "duration_seconds": 2.5,
        "config": None,
    }
    with open_store(str(tmp_path / "h.db")) as store:
        store.put([Record(kind="cycle", time=T0, labels={"host": "ci-1"}, data=data)])
        [record] = store.query(Query(kinds=("cycle",)))
    assert record.data == data
    assert "cycle" in default_kinds().names()  # tools add their own kinds next to it
    with pytest.raises(RecordSchemaError, match=r"tools\.tianyan\.status"):
        default_kinds().prepare(
            Record(kind="cycle", time=T0, data={**data, "tools": {"tianyan": {"status": "meh"}}})
        )
