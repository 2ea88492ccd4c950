"""Processes a run's steps left running in sessions of their own, stopped when the run ends.

A step's process group is killed when the step ends, but a daemon that made itself a new session
(``setsid``, a double fork) is outside that group and would outlive the run, holding ports, files and
CPU. GitHub's runner stops such orphans at the end of a job (found by ``RUNNER_TRACKING_ID`` in their
environment); lego does the same at the end of a run, found by ``LEGO_RUN_ID`` — at the end of the run
and not of each job, so a service one job starts for the next (a database for the tests) keeps
running while the run does. A process started with ``LEGO_RUN_ID`` changed or unset is left alone.
Linux only (``/proc``); elsewhere nothing is found.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class LeftOver:
    pid: int
    job: str
    command: str


def find_left_overs(run_id: str, *, proc: Path = PROC) -> list[LeftOver]:
    """Live processes (not ours) whose environment says they belong to run ``run_id``."""
    marker = f"LEGO_RUN_ID={run_id}".encode()
    found = []
    try:
        entries = os.listdir(proc)
    except OSError:
        return []
    me = os.getpid()
    for name in entries:
        if not name.isdigit() or int(name) == me:
            continue
        try:
            environ = (proc / name / "environ").read_bytes().split(b"\0")
            if marker not in environ:
                continue
            if not _alive(int(name), proc):  # a zombie: already ended
                continue
            cmdline = (proc / name / "cmdline").read_bytes().replace(b"\0", b" ").strip()
        except OSError:  # gone meanwhile, or not ours to read
            continue
        job = next((v[len(b"LEGO_JOB=") :] for v in environ if v.startswith(b"LEGO_JOB=")), b"")
        found.append(LeftOver(int(name), job.decode(errors="replace"), cmdline.decode(errors="replace")))
    return found


def stop(left: list[LeftOver], grace: float) -> None:
    """SIGTERM each, then SIGKILL what is still alive after ``grace`` seconds."""
    for one in left:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(one.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    alive = [one.pid for one in left]
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [pid for pid in alive if _alive(pid)]
    for pid in alive:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def _alive(pid: int, proc: Path = PROC) -> bool:
    """Running, not a zombie (the state after the command name in ``/proc/PID/stat``)."""
    try:
        stat = (proc / str(pid) / "stat").read_bytes()
    except OSError:
        return False
    return not stat[stat.rfind(b")") + 2 :].startswith(b"Z")
