"""The built-pipeline cache (lego.pipecache): a hit only when nothing the build read has changed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import hucheng
import lego.spec
from lego.errors import PipelineError
from lego.model import Pipeline
from lego.pipecache import entry_path, load_pipeline_cached
from lego.spec import load_pipeline

BRICK = "name: hello\nversion: 1.0.0\nsteps:\n  - run: echo {word}\n"


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ci").mkdir()
    (tmp_path / "ci" / "more.yml").write_text("jobs:\n  b:\n    steps:\n      - run: echo b\n")
    (tmp_path / ".lego" / "bricks").mkdir(parents=True)
    (tmp_path / ".lego" / "bricks" / "hello.yml").write_text(BRICK.format(word="one"))
    (tmp_path / ".lego.yml").write_text(
        "include: ci/more.yml\njobs:\n  a:\n    steps:\n      - uses: hello\n      - run: echo aa\n"
    )
    return tmp_path


def cached(home: Path) -> Pipeline:
    return load_pipeline_cached(Path(".lego.yml"), home=home)


def no_build(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_a: object, **_k: object) -> Pipeline:
        raise AssertionError("built again")

    monkeypatch.setattr(lego.spec, "load_pipeline", fail)


def same_stat_edit(path: Path, old: str, new: str) -> None:
    """Change the content, keeping the size and the mtime: only a content hash sees it."""
    st = path.stat()
    text = path.read_text()
    assert len(old) == len(new) and old in text
    path.write_text(text.replace(old, new))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size


def test_second_load_is_a_hit_equal_to_a_fresh_build(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = ws / "home"
    first = cached(home)
    assert first == load_pipeline(Path(".lego.yml"))
    assert set(first.jobs) == {"a", "b"} and first.bricks == {"hello": "1.0.0"}
    no_build(monkeypatch)
    assert cached(home) == first


@pytest.mark.parametrize(
    ("file", "old", "new", "job", "step_run"),
    [
        (".lego.yml", "echo aa", "echo ab", "a", "echo ab"),
        ("ci/more.yml", "echo b", "echo c", "b", "echo c"),
        (".lego/bricks/hello.yml", "echo one", "echo two", "a", "echo two"),
    ],
    ids=["pipeline", "include", "brick"],
)
def test_an_edit_with_the_same_size_and_mtime_misses(
    ws: Path, file: str, old: str, new: str, job: str, step_run: str
) -> None:
    home = ws / "home"
    cached(home)
    same_stat_edit(ws / file, old, new)
    again = cached(home)
    assert again == load_pipeline(Path(".lego.yml"))
    assert step_run in [s.run for s in again.jobs[job].steps]


def test_a_new_brick_earlier_in_the_search_order_misses(ws: Path) -> None:
    home = ws / "home"
    assert cached(home).jobs["a"].steps[0].run == "echo one"
    (ws / "configs" / "lego" / "bricks").mkdir(parents=True)
    (ws / "configs" / "lego" / "bricks" / "hello.yml").write_text(BRICK.format(word="new"))
    assert cached(home).jobs["a"].steps[0].run == "echo new"


def test_another_hucheng_version_misses(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = ws / "home"
    cached(home)
    monkeypatch.setattr(hucheng, "__version__", "9.9.9")
    built: list[Path] = []
    real = lego.spec.load_pipeline

    def spy(path: Path, **kw: object) -> Pipeline:
        built.append(path)
        return real(path)

    monkeypatch.setattr(lego.spec, "load_pipeline", spy)
    assert cached(home) == real(Path(".lego.yml"))
    assert built == [Path(".lego.yml")]
    cached(home)
    assert built == [Path(".lego.yml")]  # the rebuilt entry answers for the new version


def test_another_directory_uses_another_entry(
    ws: Path, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    before = entry_path(ws / "home", Path(".lego.yml"))
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    assert entry_path(ws / "home", Path(".lego.yml")) != before


def test_a_corrupt_entry_is_rebuilt_and_a_broken_pipeline_is_not_kept(ws: Path) -> None:
    home = ws / "home"
    first = cached(home)
    entry = entry_path(home, Path(".lego.yml"))
    entry.write_bytes(b"not a pickle")
    assert cached(home) == first
    (ws / ".lego.yml").write_text("jobs: [\n")
    with pytest.raises(PipelineError):
        cached(home)
    with pytest.raises(PipelineError):
        cached(home)  # the old entry does not answer for the broken file


def test_a_removed_include_misses(ws: Path) -> None:
    home = ws / "home"
    cached(home)
    (ws / "ci" / "more.yml").unlink()
    with pytest.raises(PipelineError, match=r"more\.yml"):
        cached(home)


def test_derived_values_equal_those_computed_afresh(ws: Path, tmp_path: Path) -> None:
    """pipeline.json and the definition digests from the cache are the bytes a fresh build gives."""
    from dataclasses import replace

    from lego.pipecache import derived
    from lego.run.serial import save_pipeline

    home = ws / "home"
    (ws / ".lego.yml").write_text(
        "include: ci/more.yml\nenv: {X: ü}\nsecrets: [TOKEN]\njobs:\n  a:\n    inputs: [x]\n"
        "    matrix: {py: ['3.10', '3.11']}\n    steps:\n      - uses: hello\n      - run: echo é\n"
    )
    for round_ in ("miss", "hit"):
        pipeline = replace(cached(home), path="/somewhere/.lego.yml")  # as `lego run` resolves it
        known = derived(pipeline)
        assert known is not None, round_
        fresh = load_pipeline(Path(".lego.yml"))
        fresh = replace(fresh, path="/somewhere/.lego.yml")
        assert derived(fresh) is None
        save_pipeline(pipeline, tmp_path / "memo.json")
        save_pipeline(fresh, tmp_path / "fresh.json")
        assert (tmp_path / "memo.json").read_bytes() == (tmp_path / "fresh.json").read_bytes()
        from lego.run.cache import definition_digest

        for jid, job in pipeline.jobs.items():
            assert definition_digest(job, pipeline) == known.digests[jid]
            assert known.digests[jid] == definition_digest(fresh.jobs[jid], fresh)
        other_env = replace(pipeline, env={"X": "other"})
        assert derived(other_env) is None
