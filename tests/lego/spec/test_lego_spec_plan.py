"""``lego plan``: order, statically false conditions, and what the runner's cache would skip."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import WriteFile

from lego.run.cache import CacheEntry, ContentCache
from lego.spec import load_pipeline
from lego.spec.expressions import ExprContext, GitInfo
from lego.spec.plan import CacheOutlook, Decision, make_plan, static_condition


def test_static_conditions() -> None:
    ctx = ExprContext(env={"STAGE": "dev"}, matrix={"os": "linux"}, git=GitInfo(branch="main"))
    assert static_condition("env.STAGE == 'prod'", ctx) is False
    assert static_condition("matrix.os == 'linux' && git.branch == 'main'", ctx) is True
    assert static_condition("needs.a.result == 'success'", ctx) is None
    assert static_condition("always()", ctx) is None
    assert static_condition("changes('docs/**')", ctx) is None  # unless asked to read the files
    assert static_condition(None, ctx) is None


def test_plan_orders_jobs_and_decides_what_it_can(write: WriteFile) -> None:
    path = write(
        """
        env: {STAGE: dev}
        jobs:
          deploy:
            needs: test
            if: env.STAGE == 'prod'
            steps: [{run: x}]
          test:
            matrix: {os: [linux, mac]}
            steps:
              - run: x
              - id: mac-only
                if: matrix.os == 'mac'
                run: y
          notify:
            needs: deploy
            if: failure()
            steps: [{run: x}]
          release:
            manual: true
            steps: [{run: x}]
        """
    )
    plan = make_plan(load_pipeline(path), git=GitInfo(branch="main"))
    got = [(j.id, j.level, j.decision, j.skipped_steps) for j in plan.jobs]
    assert got == [
        ("test (os=linux)", 0, Decision.RUN, ("mac-only",)),
        ("test (os=mac)", 0, Decision.RUN, ()),
        ("release", 0, Decision.MANUAL, ()),
        ("deploy", 1, Decision.SKIP_IF, ()),
        ("notify", 2, Decision.AT_RUN_TIME, ()),
    ]
    assert plan.counts() == {
        "run": 2,
        "waits for approval": 1,
        "skip (if is false)": 1,
        "decided at run time": 1,
    }
    assert all(j.cache is CacheOutlook.NOT_CHECKED for j in plan.jobs)


def test_plan_reports_what_the_cache_would_skip(write: WriteFile, tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.py").write_text("print(1)\n")
    path = write(
        """
        jobs:
          build:
            inputs: [src/**]
            steps: [{run: make}]
          test:
            needs: build
            inputs: [src/**]
            steps: [{run: pytest}]
          uncached:
            steps: [{run: date}]
          after:
            needs: uncached
            inputs: [src/**]
            steps: [{run: x}]
        """
    )
    pipeline = load_pipeline(path)
    root = tmp_path / "cache"
    first = {j.id: j for j in make_plan(pipeline, cache_root=root).jobs}
    assert first["build"].cache is CacheOutlook.MISS and first["build"].cache_key
    assert first["test"].cache is CacheOutlook.MISS
    assert first["uncached"].cache is CacheOutlook.NOT_CACHEABLE
    assert first["after"].cache is CacheOutlook.UNKNOWN
    # what the runner saves after a successful run
    cache = ContentCache(root)
    key = first["build"].cache_key
    assert key is not None
    cache.save(CacheEntry(key, "build", "run-1", {}, ()), tmp_path / "artifacts")
    second = {j.id: j for j in make_plan(pipeline, cache_root=root).jobs}
    assert (second["build"].cache, second["build"].cached_run) == (CacheOutlook.HIT, "run-1")
    assert second["test"].cache is CacheOutlook.MISS
    assert not (root / "manifest.json").exists()  # plan reads, never writes
    (tmp_path / "src" / "a.py").write_text("print(2)\n")
    third = {j.id: j for j in make_plan(pipeline, cache_root=root).jobs}
    assert third["build"].cache is CacheOutlook.MISS


def test_plan_answers_changes_as_the_files_are_now(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
            cwd=tmp_path,
            check=True,
            capture_output=True,
        )

    (tmp_path / "src").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "src" / "a.py").write_text("1")
    (tmp_path / "docs" / "x.md").write_text("d")
    (tmp_path / ".lego.yml").write_text(
        "jobs:\n"
        "  code:\n    if: changes('src/**')\n    steps: [{run: x}, {if: \"changes('docs/**')\", run: y}]\n"
        "  docs:\n    if: changes('docs/**')\n    steps: [{run: x}]\n"
        "  later:\n    if: success() && changes('src/**')\n    steps: [{run: x}]\n"
    )
    git("init", "-q", "-b", "main")
    git("add", ".")
    git("commit", "-q", "-m", "one")
    git("checkout", "-q", "-b", "feature")
    (tmp_path / "src" / "a.py").write_text("2")
    git("commit", "-q", "-am", "two")
    plan = make_plan(load_pipeline(tmp_path / ".lego.yml"), git=GitInfo(branch="feature"))
    by_id = {j.id: j for j in plan.jobs}
    assert by_id["code"].decision is Decision.RUN
    assert by_id["code"].reason == "if: changes('src/**') is true (as the files are now)"
    assert by_id["code"].skipped_steps == ("step-2",)
    assert by_id["docs"].decision is Decision.SKIP_IF
    assert by_id["docs"].reason == "if: changes('docs/**') (as the files are now)"
    assert by_id["later"].decision is Decision.AT_RUN_TIME  # success() is only known during the run
