"""Daemons a run's steps leave running in sessions of their own are stopped when the run ends."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import psutil
import pytest
from lego_run_helpers import job, pipeline, run

from hucheng.store import Store
from lego.run.leftovers import LeftOver, find_left_overs
from lego.run.state import RunStatus


def _proc(root: Path, pid: int, env: dict[str, str], state: str = "S", cmd: str = "sleep 9") -> None:
    d = root / str(pid)
    d.mkdir(parents=True)
    (d / "environ").write_bytes(b"\0".join(f"{k}={v}".encode() for k, v in env.items()) + b"\0")
    (d / "stat").write_bytes(f"{pid} ({cmd.split()[0]}) {state} 1 1 1".encode())
    (d / "cmdline").write_bytes(cmd.replace(" ", "\0").encode() + b"\0")


def test_left_overs_are_found_by_their_run_id(tmp_path: Path) -> None:
    _proc(tmp_path, 101, {"LEGO_RUN_ID": "r1", "LEGO_JOB": "db (v=1)"}, cmd="postgres -D data")
    _proc(tmp_path, 102, {"LEGO_RUN_ID": "r2", "LEGO_JOB": "other"})  # another run's
    _proc(tmp_path, 103, {"LEGO_RUN_ID": "r1", "LEGO_JOB": "x"}, state="Z")  # already ended
    _proc(tmp_path, 104, {"LEGO_RUN_ID": "r10"})  # a run id that only starts the same
    _proc(tmp_path, 105, {"PATH": "/bin"})
    (tmp_path / "self").mkdir()
    assert find_left_overs("r1", proc=tmp_path) == [LeftOver(101, "db (v=1)", "postgres -D data")]
    assert find_left_overs("r1", proc=tmp_path / "missing") == []


DAEMON = "setsid sleep {marker} > /dev/null 2>&1 < /dev/null & sleep 0.3"  # out of the step's group


def _sleepers(marker: str) -> list[int]:
    return [
        p.pid
        for p in psutil.process_iter(["cmdline", "status"])
        if p.info["status"] != psutil.STATUS_ZOMBIE and marker in " ".join(p.info["cmdline"] or [])
    ]


def test_a_daemon_a_step_started_is_stopped_when_the_run_ends(
    workspace: Path, store: Store, home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    kept = "1000.4545"
    p = pipeline(
        workspace,
        job("start", DAEMON.format(marker="1000.3535")),
        job("keep", "LEGO_RUN_ID= " + DAEMON.format(marker=kept)),  # opted out: left alone
    )
    try:
        result = run(p, store, home)
        assert result.status is RunStatus.SUCCESS
        deadline = time.monotonic() + 5
        while _sleepers("1000.3535") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _sleepers("1000.3535") == []
        assert len(_sleepers(kept)) == 1
        assert any("left running by job start" in r.getMessage() for r in caplog.records)
    finally:
        for pid in _sleepers(kept) + _sleepers("1000.3535"):
            os.kill(pid, signal.SIGKILL)
