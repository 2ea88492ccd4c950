"""``io`` work: attempts run in a thread pool.

A thread cannot be killed. At the deadline the attempt is marked ``timed_out`` and its cancel flag is
set; a cooperative task sees ``ctx.cancelled()`` and returns, and whatever it returns is ignored. A task
that never checks the flag keeps its thread busy until it returns.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from hucheng.dispatch.handle import LocalHandle
from hucheng.dispatch.interface import WorkContext
from hucheng.dispatch.result import Outcome, WorkStatus
from hucheng.dispatch.tasks import run_attempt

log = logging.getLogger(__name__)

#: the executor's "this attempt ended" hook: (handle, attempt number, outcome)
AttemptEnded = Callable[[LocalHandle, int, Outcome], None]


class ThreadRunner:
    def __init__(self, max_workers: int | None, on_end: AttemptEnded) -> None:
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="hucheng-work")
        self._on_end = on_end
        self._lock = threading.Lock()
        #: key -> (attempt, future, cancel flag) of the current attempt
        self._current: dict[str, tuple[int, Future[None], threading.Event]] = {}

    def start(self, handle: LocalHandle, attempt: int) -> None:
        flag = threading.Event()
        with self._lock:  # held across submit so that _run cannot end before the attempt is recorded
            future = self._pool.submit(self._run, handle, attempt, flag)
            self._current[handle.key] = (attempt, future, flag)
        if handle.done():  # cancelled while we were scheduling
            self.cancel(handle)

    def cancel(self, handle: LocalHandle) -> None:
        """Drop the attempt if it has not started; otherwise set its cancel flag."""
        with self._lock:
            entry = self._current.get(handle.key)
        if entry is not None:
            _, future, flag = entry
            future.cancel()
            flag.set()

    def shutdown(self) -> None:
        # Attempts that outlived their timeout may still be running; they are not waited for.
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(self, handle: LocalHandle, attempt: int, flag: threading.Event) -> None:
        if flag.is_set() or handle.done():
            return
        spec = handle.spec
        handle.mark_started()
        timer = None
        if spec.timeout is not None:
            timer = threading.Timer(spec.timeout, self._timed_out, args=(handle, attempt, flag))
            timer.daemon = True
            timer.name = f"hucheng-deadline-{handle.key[:12]}"
            timer.start()
        ctx = WorkContext(
            handle.key,
            attempt=attempt,
            on_progress=functools.partial(handle.emit_progress, attempt),
            is_cancelled=flag.is_set,
        )
        try:
            outcome = run_attempt(spec.task, ctx, spec.args)
        finally:
            if timer is not None:
                timer.cancel()
            with self._lock:
                entry = self._current.get(handle.key)
                if entry is not None and entry[0] == attempt:
                    del self._current[handle.key]
        self._on_end(handle, attempt, outcome)

    def _timed_out(self, handle: LocalHandle, attempt: int, flag: threading.Event) -> None:
        flag.set()
        log.info("work %s (task %s) timed out in its thread; asked it to stop", handle.key, handle.spec.task)
        error = (
            f"task {handle.spec.task!r} timed out after {handle.spec.timeout:g}s "
            "(its thread was asked to stop; threads cannot be killed)"
        )
        self._on_end(handle, attempt, Outcome(WorkStatus.TIMED_OUT, error=error))
