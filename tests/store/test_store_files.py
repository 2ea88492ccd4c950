"""Store files that cannot be used: each is refused with one clear error, and left as it was."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from store_testkit import note, test_kinds

from hucheng.errors import StoreCorruptError, StoreError, StoreVersionError, UsageError
from hucheng.store import Query, open_store
from hucheng.store.url import parse_store_url


def _raw_sql(path: Path, *statements: str) -> None:
    with closing(sqlite3.connect(path)) as conn:
        for statement in statements:
            conn.execute(statement)
        conn.commit()


def test_new_store_creates_parent_directories_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "h.db"
    with open_store(f"sqlite:///{path}", test_kinds()) as store:
        store.put([note("x")])
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1


def test_newer_store_schema_version_is_refused_and_kept(db_path: Path) -> None:
    with open_store(str(db_path), test_kinds()) as store:
        store.put([note("keep me")])
    _raw_sql(db_path, "PRAGMA user_version = 7")
    before = db_path.read_bytes()
    with pytest.raises(StoreVersionError) as err:
        open_store(str(db_path), test_kinds())
    assert str(err.value) == (
        f"{db_path}: store schema version 7 is newer than this hucheng understands (1); "
        "upgrade hucheng or use another --store"
    )
    assert db_path.read_bytes() == before


def test_garbage_file_is_corrupt_and_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    garbage = bytes(range(256)) * 20
    path.write_bytes(garbage)
    with pytest.raises(StoreCorruptError, match=r"h\.db: not a hucheng store \(not an SQLite database\)"):
        open_store(str(path), test_kinds())
    assert path.read_bytes() == garbage


def test_damaged_sqlite_file_is_corrupt(db_path: Path) -> None:
    with open_store(str(db_path), test_kinds()) as store:
        store.put([note(str(i)) for i in range(200)])
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = bytearray(db_path.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)  # the schema page, past the header
    db_path.write_bytes(bytes(raw))
    damaged = r"hucheng\.db: the store file is damaged \(database disk image is malformed\)"
    with pytest.raises(StoreCorruptError, match=damaged):
        _open_and_read(db_path)
    assert db_path.read_bytes() == bytes(raw)


def _open_and_read(path: Path) -> None:
    with open_store(str(path), test_kinds()) as store:
        list(store.query(Query()))


def test_foreign_sqlite_database_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    _raw_sql(path, "CREATE TABLE users (name TEXT)", "INSERT INTO users VALUES ('ada')")
    before = path.read_bytes()
    with pytest.raises(StoreCorruptError, match=r"not a hucheng store \(tables: users\)"):
        open_store(str(path), test_kinds())
    assert path.read_bytes() == before
    with closing(sqlite3.connect(path)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master")]
        assert tables == ["users"]


def test_directory_as_store_path(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory, not a store file"):
        open_store(f"sqlite:///{tmp_path}", test_kinds())


def test_path_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="cannot create the store's directory"):
        open_store(str(tmp_path / "file" / "h.db"), test_kinds())
    assert (tmp_path / "file").read_text() == "x"


def test_empty_file_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    path.touch()
    with open_store(str(path), test_kinds()) as store:
        assert store.put([note("x")]).written == 1


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///rel/h.db", Path("rel/h.db")),
        ("sqlite:////abs/h.db", Path("/abs/h.db")),
        ("/plain/h.db", Path("/plain/h.db")),
        ("h.db", Path("h.db")),
    ],
)
def test_url_forms(url: str, expected: Path) -> None:
    parsed = parse_store_url(url)
    assert (parsed.backend, parsed.path) == ("sqlite", expected)


@pytest.mark.parametrize("url", ["elasticsearch://es:9200", "es+https://user:pw@es.example:9200/idx"])
def test_elasticsearch_urls_are_honestly_refused(url: str) -> None:
    with pytest.raises(StoreError, match="the Elasticsearch backend is not available in this version") as err:
        parse_store_url(url)
    assert "pw" not in str(err.value)


@pytest.mark.parametrize(
    "url", ["postgres://db/x", "sqlite://", "sqlite:///", "sqlite:///:memory:", "mysql:x"]
)
def test_unknown_url_forms_list_accepted_forms(url: str) -> None:
    with pytest.raises(UsageError, match=r"sqlite:///relative/path\.db|name a file"):
        parse_store_url(url)
