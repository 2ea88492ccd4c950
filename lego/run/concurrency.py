"""``concurrency:`` across runs: jobs of one group never run at the same time on this machine.

Each group is a lock file under ``<home>/lego/concurrency/`` held with ``flock`` while the job runs
(the kernel drops it when the runner dies, so a killed runner never leaves a stale lock). A job that
finds the group busy waits, polling, and stays cancellable. With ``cancel-in-progress: true`` it first
writes the holder's token into ``<group>.cancel``; the holder's watcher sees it within a fifth of a
second and cancels its job cleanly (its steps' process groups are stopped, the job ends cancelled).
Within one run the scheduler already keeps a group's jobs apart.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from lego.errors import LegoError


class GroupCancelled(LegoError):
    """The job was cancelled while waiting for its concurrency group (the run was cancelled)."""


def _paths(root: Path, group: str) -> tuple[Path, Path]:
    name = hashlib.sha256(group.encode()).hexdigest()[:24]
    return root / f"{name}.lock", root / f"{name}.cancel"


@contextlib.contextmanager
def hold_group(
    root: Path,
    group: str,
    *,
    token: str,
    cancel_in_progress: bool,
    cancel: threading.Event,
    note: Callable[[str], None],
    poll: float = 0.1,
) -> Iterator[None]:
    """Hold ``group`` for the block; ``cancel`` is set if a later job takes the group over."""
    root.mkdir(parents=True, exist_ok=True)
    lock_path, cancel_path = _paths(root, group)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, lock_path, cancel_path, group, token, cancel_in_progress, cancel, note, poll)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"token": token, "pid": os.getpid()}).encode(), 0)
        stop = threading.Event()
        watcher = threading.Thread(target=_watch, args=(cancel_path, token, cancel, stop), daemon=True)
        watcher.start()
        try:
            yield
        finally:
            stop.set()
            watcher.join()
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the flock


def _acquire(
    fd: int,
    lock_path: Path,
    cancel_path: Path,
    group: str,
    token: str,
    cancel_in_progress: bool,
    cancel: threading.Event,
    note: Callable[[str], None],
    poll: float,
) -> None:
    asked = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if not asked:
            holder = _holder(lock_path)
            note(f"concurrency group {group!r} is busy ({holder or 'another job'}); waiting")
            if cancel_in_progress and holder:
                cancel_path.write_text(holder, encoding="utf-8")
                note(f"cancel-in-progress: asked {holder} to cancel")
            asked = True
        if cancel.is_set():
            raise GroupCancelled(f"cancelled while waiting for concurrency group {group!r}")
        time.sleep(poll)


def _holder(lock_path: Path) -> str:
    try:
        return str(json.loads(lock_path.read_text(encoding="utf-8") or "{}").get("token", ""))
    except (OSError, ValueError):
        return ""


def _watch(cancel_path: Path, token: str, cancel: threading.Event, stop: threading.Event) -> None:
    while not stop.wait(0.2):
        try:
            wanted = cancel_path.read_text(encoding="utf-8")
        except OSError:
            continue
        if wanted == token:
            cancel_path.unlink(missing_ok=True)
            cancel.set()
            return
