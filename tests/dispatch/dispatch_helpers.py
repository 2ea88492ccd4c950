"""Small helpers for the dispatch tests (importable because conftest.py puts this directory on sys.path)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from hucheng.dispatch import ProgressEvent

T = "dispatch_sample_tasks:"  # prefix of every sample task name
PATIENCE = 60.0  # generous: only there so that a bug fails the test instead of hanging it


def wait_for_path(path: Path) -> None:
    deadline = time.monotonic() + PATIENCE
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.01)


class Progress:
    """Collects progress events; ``first`` is set when one arrives."""

    def __init__(self) -> None:
        self.events: list[ProgressEvent] = []
        self.first = threading.Event()

    def __call__(self, event: ProgressEvent) -> None:
        self.events.append(event)
        self.first.set()

    def wait_first(self) -> None:
        assert self.first.wait(PATIENCE), "no progress event arrived"
