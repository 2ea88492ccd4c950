"""One thread's event loop: file descriptors, timers and work handed to helper threads.

The scheduler, the jobs and their step processes all live in the calling thread: a step's output pipe
and its pidfd are watched with epoll, a timeout is a timer, and only work that may block for long
(waiting for a concurrency group, copying artifacts and cache directories) goes to a thread, whose
result comes back through a wake-up pipe. No lock, no queue hand-off and no thread per job: the
per-job cost of the runner is its own bookkeeping, not the GIL.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import os
import selectors
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

#: called with (value, None) or (None, exception) in the loop's thread
Completion = Callable[[Any, BaseException | None], None]


class Timer:
    __slots__ = ("cancelled", "fn", "when")

    def __init__(self, when: float, fn: Callable[[], None]) -> None:
        self.when, self.fn, self.cancelled = when, fn, False

    def cancel(self) -> None:
        self.cancelled = True


class Reactor:
    def __init__(self, *, threads: int = 4) -> None:
        self._sel = selectors.EpollSelector()
        self._timers: list[tuple[float, int, Timer]] = []
        self._seq = itertools.count()
        self._threads = threads
        self._pool: ThreadPoolExecutor | None = None
        self._done: deque[tuple[Completion, Any, BaseException | None]] = deque()
        self._wake_r, self._wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        self._sel.register(self._wake_r, selectors.EVENT_READ, self._drain_wakeups)
        self._lock = threading.Lock()

    # -- registration -----------------------------------------------------------------------------
    def add_reader(self, fd: int, callback: Callable[[], None]) -> None:
        self._sel.register(fd, selectors.EVENT_READ, callback)

    def remove_reader(self, fd: int) -> None:
        self._sel.unregister(fd)

    def call_later(self, delay: float, fn: Callable[[], None]) -> Timer:
        timer = Timer(_now() + max(delay, 0.0), fn)
        heapq.heappush(self._timers, (timer.when, next(self._seq), timer))
        return timer

    def in_thread(self, fn: Callable[[], Any], done: Completion) -> None:
        """Run ``fn`` in a helper thread; ``done`` is called in the loop's thread with its outcome."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self._threads, thread_name_prefix="lego-io")

        def work() -> None:
            value: Any = None
            error: BaseException | None = None
            try:
                value = fn()
            except BaseException as exc:  # handed to ``done``: never lost in the helper thread
                error = exc
            with self._lock:
                self._done.append((done, value, error))
            # a full pipe holds wake-ups enough already: the loop will look
            with contextlib.suppress(BlockingIOError):
                os.write(self._wake_w, b"\0")

        self._pool.submit(work)

    # -- the loop ---------------------------------------------------------------------------------
    def run_once(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds (less when a timer is due) and handle what happened."""
        if self._timers:
            timeout = min(timeout, max(self._timers[0][0] - _now(), 0.0))
        if self._done:
            timeout = 0.0
        for key, _ in self._sel.select(timeout):
            key.data()
        self._run_completions()
        self._run_timers()

    def _drain_wakeups(self) -> None:
        with contextlib.suppress(BlockingIOError):
            while os.read(self._wake_r, 4096):
                pass

    def _run_completions(self) -> None:
        while True:
            with self._lock:
                if not self._done:
                    return
                done, value, error = self._done.popleft()
            done(value, error)

    def _run_timers(self) -> None:
        now = _now()
        while self._timers and self._timers[0][0] <= now:
            _, _, timer = heapq.heappop(self._timers)
            if not timer.cancelled:
                timer.fn()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        self._sel.close()
        for fd in (self._wake_r, self._wake_w):
            os.close(fd)


_now = time.monotonic
