"""A re-run through ``hucheng lego run`` (pipeline from lego.pipecache): every job a cache hit, and any
change to the pipeline, an input file or a cache-env value a miss."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import cli

PIPELINE = """\
jobs:
  a:
    inputs: [in.txt]
    cache-env: [MODE]
    steps:
      - run: echo aa > out-a.txt
  b:
    needs: [a]
    inputs: [in.txt]
    steps:
      - run: echo bb
"""


@pytest.fixture
def project(workspace: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(workspace)
    monkeypatch.setenv("HUCHENG_HOME", str(home))
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("MODE", "one")
    (workspace / ".lego.yml").write_text(PIPELINE)
    (workspace / "in.txt").write_text("input 1\n")
    return workspace


def hits(capsys: pytest.CaptureFixture[str]) -> dict[str, bool]:
    assert cli.main(["lego", "run", "--jobs", "2", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "success"
    return {j["job"]: j["cache_hit"] for j in out["jobs"]}


def keep_stat_edit(path: Path, old: str, new: str) -> None:
    st = path.stat()
    path.write_text(path.read_text().replace(old, new))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size


def test_noop_rerun_hits_and_every_change_misses(
    project: Path, home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert hits(capsys) == {"a": False, "b": False}
    assert hits(capsys) == {"a": True, "b": True}
    assert list((home / "lego" / "pipelines").glob("*.pickle"))

    keep_stat_edit(project / ".lego.yml", "echo aa", "echo ab")  # same size, same mtime
    assert hits(capsys) == {"a": False, "b": False}  # b needs a: a's new key changes b's
    assert (project / "out-a.txt").read_text() == "ab\n"
    assert hits(capsys) == {"a": True, "b": True}

    # input files are re-hashed when their mtime (ns) or size changed (lego.run.cache.Manifest)
    (project / "in.txt").write_text("input two\n")
    assert hits(capsys) == {"a": False, "b": False}
    assert hits(capsys) == {"a": True, "b": True}

    monkeypatch.setenv("MODE", "two")
    assert hits(capsys) == {"a": False, "b": False}
    assert hits(capsys) == {"a": True, "b": True}


def run_45_jobs(workspace: Path, home: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> int:
    """``lego run`` of 45 jobs (more than the summary lists one by one), each running ``script``."""
    monkeypatch.chdir(workspace)
    monkeypatch.setenv("HUCHENG_HOME", str(home))
    monkeypatch.setenv("CI", "true")
    jobs = "".join(f"  j{i}:\n    steps:\n      - run: '{script}'\n" for i in range(45))
    (workspace / ".lego.yml").write_text("jobs:\n" + jobs)
    return cli.main(["lego", "run", "--jobs", "2"])


def test_a_big_graph_that_succeeded_is_summed_up_in_one_line(
    workspace: Path, home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_45_jobs(workspace, home, monkeypatch, "true") == 0
    out = capsys.readouterr().out.splitlines()
    summary = [line for line in out if line.startswith("run ")]
    assert len(summary) == 1, out
    assert ": success in " in summary[0] and summary[0].endswith("(45 success)")
    assert not any("┏" in line or "┃" in line for line in out)  # no empty table squeezing the line


def test_a_big_graph_with_many_failures_says_how_many_the_summary_left_out(
    workspace: Path, home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_45_jobs(workspace, home, monkeypatch, "exit 3") == 1
    out = capsys.readouterr().out
    assert "... and 5 more that did not succeed: hucheng lego show " in out
