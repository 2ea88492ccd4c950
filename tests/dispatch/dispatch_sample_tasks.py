"""Task functions the dispatch tests submit by name ("dispatch_sample_tasks:<name>").

conftest.py puts this directory on sys.path; worker processes inherit it (spawn copies sys.path).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from hucheng.dispatch import WorkContext

TIMEOUT = 60.0  # how long any blocking helper waits before giving up


def add(ctx: WorkContext, a: int, b: int) -> int:
    return a + b


def sum_squares(ctx: WorkContext, n: int) -> dict[str, int]:
    return {"pid": os.getpid(), "sum": sum(i * i for i in range(n))}


def boom(ctx: WorkContext, message: str) -> None:
    raise ValueError(message)


def not_json(ctx: WorkContext) -> object:
    return object()


def record_call(ctx: WorkContext, path: str, value: int) -> int:
    """Appends a line to ``path`` per call, so a test can count runs."""
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"{ctx.key}\n")
    return value


def wait_for_file(ctx: WorkContext, path: str) -> str:
    deadline = time.monotonic() + TIMEOUT
    while not Path(path).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} never appeared")
        time.sleep(0.01)
    return "gate opened"


def until_cancelled(ctx: WorkContext, marker: str) -> str:
    """Cooperative: reports progress once, loops until cancelled() turns true, then writes ``marker``."""
    ctx.progress(0, message="waiting for cancel")
    deadline = time.monotonic() + TIMEOUT
    while not ctx.cancelled():
        if time.monotonic() > deadline:
            raise TimeoutError("never cancelled")
        time.sleep(0.01)
    Path(marker).write_text("saw cancel", encoding="utf-8")
    return "stopped"


def sleep_forever(ctx: WorkContext) -> None:
    time.sleep(3600)


def report_progress(ctx: WorkContext, steps: int) -> int:
    for i in range(steps):
        ctx.progress(i + 1, steps, f"step {i + 1}")
    return steps


def die(ctx: WorkContext, how: str) -> None:
    if how == "exit":
        os._exit(1)
    os.kill(os.getpid(), signal.SIGKILL)


def fail_once(ctx: WorkContext, marker: str) -> str:
    """Fails the first time (creating ``marker``), succeeds afterwards."""
    if not Path(marker).exists():
        Path(marker).write_text("tried", encoding="utf-8")
        raise RuntimeError("first attempt fails")
    return f"ok on attempt {ctx.attempt}"


def die_once(ctx: WorkContext, marker: str) -> str:
    """Kills its own worker the first time, succeeds afterwards."""
    if not Path(marker).exists():
        Path(marker).write_text("tried", encoding="utf-8")
        os._exit(3)
    return "survived"


def sleep_once(ctx: WorkContext, marker: str) -> str:
    """Sleeps past any timeout the first time, returns at once afterwards."""
    if not Path(marker).exists():
        Path(marker).write_text("tried", encoding="utf-8")
        time.sleep(3600)
    return "quick"
