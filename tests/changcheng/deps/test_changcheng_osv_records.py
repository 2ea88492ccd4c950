"""OSV records: parsing, minimal validation, and what the loader does with bad records and sources."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from changcheng_deps_helpers import SMALL_DB, osv, write_db

from changcheng.advisories.index import cache_path, load_index
from changcheng.advisories.loader import load_source
from changcheng.advisories.model import EventKind
from changcheng.advisories.parse import InvalidRecord, parse_advisory
from changcheng.errors import AdvisoryDatabaseError


def test_parse_keeps_what_matching_needs() -> None:
    raw = osv("PYSEC-1", "Foo_Bar", events=[{"introduced": "0"}, {"fixed": "1.10"}], versions=["1.0"])
    raw["severity"] = [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]
    adv = parse_advisory(raw, origin="vulns/foo/PYSEC-1.yaml")
    assert adv.id == "PYSEC-1"
    assert adv.affected[0].name == "Foo_Bar"
    assert [(e.kind, e.version) for e in adv.affected[0].ranges[0].events] == [
        (EventKind.INTRODUCED, "0"),
        (EventKind.FIXED, "1.10"),
    ]
    assert adv.severity[0].type == "CVSS_V3"
    assert adv.origin == "vulns/foo/PYSEC-1.yaml"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ({"affected": []}, "no `id`"),
        ({"id": "X-1"}, "`affected` must be a list"),
        ({"id": "X-1", "affected": [{"package": {"name": "a"}}]}, "no ecosystem"),
        ({"id": "X-1", "affected": [{"ranges": []}]}, "no package name"),
        (
            {
                "id": "X-1",
                "affected": [{"package": {"name": "a", "ecosystem": "PyPI"}, "ranges": [{"events": []}]}],
            },
            "no `type`",
        ),
        (
            {
                "id": "X-1",
                "affected": [
                    {
                        "package": {"name": "a", "ecosystem": "PyPI"},
                        "ranges": [{"type": "ECOSYSTEM", "events": [{"broken": "1"}]}],
                    }
                ],
            },
            "unknown range event",
        ),
        ("just a string", "not a mapping"),
    ],
)
def test_schema_violations_are_rejected(raw: object, reason: str) -> None:
    with pytest.raises(InvalidRecord, match=reason):
        parse_advisory(raw)


def test_yaml_versions_stay_strings(tmp_path: Path) -> None:
    # unquoted 1.10 is a float to a YAML loader that resolves types; it must stay the version 1.10
    path = tmp_path / "db" / "vulns" / "foo" / "PYSEC-9.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(
        "id: PYSEC-9\naffected:\n- package: {name: foo, ecosystem: PyPI}\n"
        "  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: 0\n    - fixed: 1.10\n"
        "  versions:\n  - 1.0\n  - 1.9\n",
        encoding="utf-8",
    )
    result = load_source(tmp_path / "db")
    affected = result.advisories[0].affected[0]
    assert affected.versions == ("1.0", "1.9")
    assert affected.ranges[0].events[1].version == "1.10"


def test_a_bad_record_is_skipped_and_counted(tmp_path: Path) -> None:
    db = write_db(tmp_path / "db", SMALL_DB)
    (db / "vulns" / "broken").mkdir()
    (db / "vulns" / "broken" / "PYSEC-BAD.yaml").write_text("id: PYSEC-BAD\naffected: 12\n", encoding="utf-8")
    (db / "vulns" / "broken" / "NOT-YAML.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    index, _ = load_index(db, tmp_path / "cache")
    assert index.invalid == 2
    assert index.files == len(SMALL_DB) + 2
    assert any("PYSEC-BAD" in p and "`affected` must be a list" in p for p in index.problems)
    assert any("NOT-YAML.yaml: not valid YAML" in p for p in index.problems)
    assert index.withdrawn == 1
    assert index.counts == {"PyPI": 4, "npm": 1}


def test_osv_all_zip_layout(tmp_path: Path) -> None:
    flat = write_db(tmp_path / "flat", SMALL_DB, fmt="json")
    archive = tmp_path / "all.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in flat.iterdir():
            zf.write(f, f.name)
    index, cached = load_index(archive, tmp_path / "cache")
    assert not cached
    assert sum(index.counts.values()) == 5
    assert ("pypi", "pyyaml") in index.by_package
    assert ("npm", "lodash") in index.by_package


def test_a_zip_that_is_not_a_database(tmp_path: Path) -> None:
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("cat.jpg", b"\xff\xd8\xff")
        zf.writestr("notes.txt", "hello")
    with pytest.raises(
        AdvisoryDatabaseError, match=r"photos\.zip is empty: it holds no \.json/\.yaml OSV records"
    ):
        load_index(archive, tmp_path / "cache")


def test_a_file_that_is_not_a_zip(tmp_path: Path) -> None:
    bogus = tmp_path / "db.zip"
    bogus.write_text("not a zip at all", encoding="utf-8")
    with pytest.raises(AdvisoryDatabaseError, match="is not a zip file nor a directory"):
        load_index(bogus, tmp_path / "cache")


def test_a_database_of_only_invalid_records_is_empty(tmp_path: Path) -> None:
    db = tmp_path / "db"
    db.mkdir()
    (db / "X.json").write_text('{"id": "X", "affected": "nope"}', encoding="utf-8")
    with pytest.raises(AdvisoryDatabaseError, match="none of its 1 record files is a valid OSV record"):
        load_index(db, tmp_path / "cache")


def test_missing_and_empty_databases(tmp_path: Path) -> None:
    with pytest.raises(AdvisoryDatabaseError, match="does not exist"):
        load_index(tmp_path / "nowhere", tmp_path / "cache")
    (tmp_path / "empty").mkdir()
    with pytest.raises(AdvisoryDatabaseError, match="is empty"):
        load_index(tmp_path / "empty", tmp_path / "cache")


def test_index_is_built_once_and_rebuilt_when_the_source_changes(tmp_path: Path) -> None:
    db = write_db(tmp_path / "db", SMALL_DB)
    cache = tmp_path / "cache"
    first, cached = load_index(db, cache)
    assert not cached and cache_path(db.resolve(), cache).exists()
    second, cached = load_index(db, cache)
    assert cached and second.signature == first.signature
    write_db(db, [osv("PYSEC-NEW", "flask", events=[{"introduced": "0"}, {"fixed": "2.0"}])])
    third, cached = load_index(db, cache)
    assert not cached
    assert ("pypi", "flask") in third.by_package


def test_a_corrupt_cache_is_rebuilt(tmp_path: Path) -> None:
    db = write_db(tmp_path / "db", SMALL_DB)
    cache = tmp_path / "cache"
    load_index(db, cache)
    cache_path(db.resolve(), cache).write_bytes(b"\x80\x05garbage")
    index, cached = load_index(db, cache)
    assert not cached
    assert sum(index.counts.values()) == 5


def test_a_truncated_zip(tmp_path: Path) -> None:
    flat = write_db(tmp_path / "flat", SMALL_DB, fmt="json")
    archive = tmp_path / "all.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for f in flat.iterdir():
            zf.write(f, f.name)
    archive.write_bytes(archive.read_bytes()[:200])  # a download cut short
    with pytest.raises(AdvisoryDatabaseError, match=r"all\.zip is not a zip file nor a directory"):
        load_index(archive, tmp_path / "cache")


def test_a_cache_from_another_model_version_is_rebuilt(tmp_path: Path) -> None:
    import dataclasses
    import pickle

    db = write_db(tmp_path / "db", SMALL_DB)
    cache = tmp_path / "cache"
    index, _ = load_index(db, cache)
    path = cache_path(db.resolve(), cache)
    path.write_bytes(pickle.dumps(dataclasses.replace(index, format="1/older")))
    _, cached = load_index(db, cache)
    assert not cached
    _, cached = load_index(db, cache)
    assert cached
