"""The cache index (``cache/entries.jsonl``): entries survive processes, another writer's entries are
found, and a line cut short by a crash is a miss that spoils nothing after it."""

from __future__ import annotations

from pathlib import Path

from lego.run.cache import CacheEntry, ContentCache


def _entry(key: str, run: str, outputs: dict[str, str] | None = None) -> CacheEntry:
    return CacheEntry(key, "job", run, outputs or {}, ())


def test_an_entry_is_found_by_this_and_another_cache_object(tmp_path: Path) -> None:
    first, second = ContentCache(tmp_path / "c"), ContentCache(tmp_path / "c")
    assert first.lookup("k1") is None
    first.save(_entry("k1", "r1", {"version": "1.2"}), tmp_path)
    hit = first.lookup("k1")
    assert hit is not None and dict(hit.outputs) == {"version": "1.2"}
    other = second.lookup("k1")  # second read the (then empty) index before: it reads the new tail
    assert other is not None and other.run_id == "r1"
    second.save(_entry("k2", "r2"), tmp_path)
    found = first.lookup("k2")
    assert found is not None and found.run_id == "r2"


def test_the_newest_line_for_a_key_wins(tmp_path: Path) -> None:
    cache = ContentCache(tmp_path / "c")
    cache.save(_entry("k", "old"), tmp_path)
    cache.save(_entry("k", "new"), tmp_path)
    found = ContentCache(tmp_path / "c").lookup("k")
    assert found is not None and found.run_id == "new"


def test_a_line_cut_by_a_crash_is_a_miss_and_spoils_nothing_after_it(tmp_path: Path) -> None:
    cache = ContentCache(tmp_path / "c")
    cache.save(_entry("k1", "r1"), tmp_path)
    with (tmp_path / "c" / ContentCache.INDEX).open("ab") as fh:
        fh.write(b'\n{"key": "k2", "job": "jo')  # the runner was killed mid-write
    reader = ContentCache(tmp_path / "c")
    assert reader.lookup("k2") is None
    cache.save(_entry("k3", "r3"), tmp_path)
    for c in (reader, ContentCache(tmp_path / "c")):
        after = c.lookup("k3")
        assert after is not None and after.run_id == "r3"
        before = c.lookup("k1")
        assert before is not None and before.run_id == "r1"
        assert c.lookup("k2") is None


def test_an_entry_whose_artifacts_were_removed_is_a_miss(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("a")
    cache = ContentCache(tmp_path / "c")
    cache.save(CacheEntry("k", "job", "r", {}, ("a.txt",)), src)
    assert cache.lookup("k") is not None
    (tmp_path / "c" / "artifacts" / "k" / "a.txt").unlink()
    (tmp_path / "c" / "artifacts" / "k").rmdir()
    assert cache.lookup("k") is None
