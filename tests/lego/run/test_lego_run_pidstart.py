"""A run's runner is told apart from a later process with its pid by its start time: the value read
from /proc must be psutil's, which earlier runs stored."""

from __future__ import annotations

import os
import subprocess

import psutil

from lego.run.engine import _pid_started


def test_start_time_equals_psutils_for_this_and_another_process() -> None:
    child = subprocess.Popen(["sleep", "5"])
    try:
        for pid in (os.getpid(), child.pid, 1):
            assert _pid_started(pid) == psutil.Process(pid).create_time()
    finally:
        child.kill()
        child.wait()


def test_a_process_that_is_gone_has_no_start_time() -> None:
    child = subprocess.Popen(["true"])
    child.wait()
    assert _pid_started(child.pid) == 0.0
