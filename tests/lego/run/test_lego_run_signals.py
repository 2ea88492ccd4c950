"""A real ``hucheng lego run`` process: Ctrl-C (SIGINT), ``lego cancel`` (SIGTERM) and SIGKILL + resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

HUCHENG = str(Path(sys.executable).parent / "hucheng")


def live(marker: str) -> list[int]:
    out = []
    for proc in psutil.process_iter(["cmdline", "status"]):
        if proc.info["status"] != psutil.STATUS_ZOMBIE and marker in " ".join(proc.info["cmdline"] or []):
            out.append(proc.pid)
    return out


def wait_for(check: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def env(home: Path) -> dict[str, str]:
    return {"PATH": os.environ["PATH"], "HUCHENG_HOME": str(home), "CI": "true", "HOME": str(home)}


def hucheng(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([HUCHENG, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def start_run(env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [HUCHENG, "lego", "run"], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def only_run_id(env: dict[str, str], cwd: Path) -> str:
    runs = json.loads(hucheng(env, cwd, "lego", "runs", "--format", "json").stdout)
    assert len(runs) == 1
    return str(runs[0]["run_id"])


SLOW = """\
jobs:
  slow:
    steps:
      - run: |
          touch started
          sleep {marker} &
          sleep {marker}
"""


@pytest.mark.parametrize("how", ["sigint", "lego-cancel", "sighup"])
def test_interrupt_cancels_running_jobs_cleanly_and_exits_130(
    workspace: Path, env: dict[str, str], how: str
) -> None:
    # SIGHUP: the terminal or ssh session closed; the runner used to die of it at once, its steps (in
    # sessions of their own, so the hang-up does not reach them) running on and the run left "running"
    marker = {"sigint": "1000.6161", "lego-cancel": "1000.7171", "sighup": "1000.9191"}[how]
    (workspace / ".lego.yml").write_text(SLOW.format(marker=marker))
    proc = start_run(env, workspace)
    try:
        wait_for(lambda: (workspace / "started").exists() and len(live(marker)) == 2, "the step to start")
        if how == "sigint":
            proc.send_signal(signal.SIGINT)
        elif how == "sighup":
            proc.send_signal(signal.SIGHUP)
        else:
            done = hucheng(env, workspace, "lego", "cancel", only_run_id(env, workspace))
            assert done.returncode == 0, done.stderr
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert "[slow] cancelled" in out
    assert live(marker) == []
    shown = json.loads(
        hucheng(env, workspace, "lego", "show", only_run_id(env, workspace), "--format", "json").stdout
    )
    assert shown["status"] == "cancelled"
    assert [j["status"] for j in shown["jobs"]] == ["cancelled"]


CHATTY = """\
jobs:
  chatty:
    steps:
      - run: |
          sleep 1000.5151 &
          while true; do echo still going; sleep 0.05; done
"""


def test_a_closed_output_cancels_the_run_cleanly(workspace: Path, env: dict[str, str]) -> None:
    # ``hucheng lego run | head -1``: the runner used to die of BrokenPipeError mid-run, leaving its
    # steps running (in their own sessions) and the run "running" for good, and exit 0
    (workspace / ".lego.yml").write_text(CHATTY)
    proc = start_run(env, workspace)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "[chatty] started\n"
        proc.stdout.close()  # the reader goes away
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert "hucheng: the output was closed: cancelling the run" in err
    assert "Traceback" not in err and "BrokenPipeError" not in err
    assert live("1000.5151") == []
    shown = json.loads(
        hucheng(env, workspace, "lego", "show", only_run_id(env, workspace), "--format", "json").stdout
    )
    assert shown["status"] == "cancelled"
    assert [j["status"] for j in shown["jobs"]] == ["cancelled"]


RESUMABLE = """\
jobs:
  first:
    steps:
      - run: echo x >> first.count
  slow:
    needs: [first]
    steps:
      - run: |
          echo x >> slow.count
          sleep 1000.8181 &
          while [ ! -f go ]; do sleep 0.05; done
  last:
    needs: [slow]
    steps:
      - run: echo x >> last.count
"""


def test_sigkill_mid_run_then_resume_runs_no_finished_job_twice(workspace: Path, env: dict[str, str]) -> None:
    (workspace / ".lego.yml").write_text(RESUMABLE)
    proc = start_run(env, workspace)
    try:
        wait_for(lambda: (workspace / "slow.count").exists(), "the slow job to start")
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=10)
    finally:
        proc.kill()
    run_id = only_run_id(env, workspace)
    assert live("1000.8181"), "the killed runner's step should still be running"
    (workspace / "go").touch()
    done = hucheng(env, workspace, "lego", "resume", run_id, "--format", "json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["run_id"] == run_id and result["status"] == "success"
    assert (workspace / "first.count").read_text() == "x\n"  # finished before the kill: not run again
    assert (workspace / "slow.count").read_text() == "x\nx\n"  # was running: run again
    assert (workspace / "last.count").read_text() == "x\n"
    assert live("1000.8181") == []  # the orphan of the killed runner was killed by resume
    again = hucheng(env, workspace, "lego", "resume", run_id)
    assert again.returncode == 2 and "already ended" in again.stderr
