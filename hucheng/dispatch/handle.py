"""The handle the local executor gives back: one per key, shared by all attempts of that unit."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from hucheng.dispatch.interface import DoneCallback, ProgressCallback, WorkHandle
from hucheng.dispatch.result import Outcome, WorkResult, WorkStatus
from hucheng.dispatch.spec import WorkSpec
from hucheng.errors import WorkTimeout
from hucheng.progress import ProgressEvent

log = logging.getLogger(__name__)

T = TypeVar("T")


class LocalHandle(WorkHandle):
    """State of one unit. ``lock`` guards ``attempt`` and the result; the executor drives it."""

    def __init__(self, spec: WorkSpec, canceller: Callable[[LocalHandle], bool]) -> None:
        self._spec = spec
        self._canceller = canceller
        self.lock = threading.Condition()
        #: the number of the current attempt (1-based); 0 before the first is scheduled
        self.attempt = 0
        self._result: WorkResult | None = None
        self._started: datetime | None = None
        self._started_at = 0.0
        self._progress_callbacks: list[ProgressCallback] = []
        self._done_callbacks: list[DoneCallback] = []

    @property
    def key(self) -> str:
        return self._spec.key

    @property
    def spec(self) -> WorkSpec:
        return self._spec

    def done(self) -> bool:
        with self.lock:
            return self._result is not None

    def started(self) -> bool:
        with self.lock:
            return self._started is not None

    def result(self, timeout: float | None = None) -> WorkResult:
        with self.lock:
            if not self.lock.wait_for(lambda: self._result is not None, timeout):
                raise WorkTimeout(f"work {self.key} (task {self._spec.task!r}) not finished after {timeout}s")
            assert self._result is not None
            return self._result

    def cancel(self) -> bool:
        return self._canceller(self)

    def add_done_callback(self, fn: DoneCallback) -> None:
        with self.lock:
            result = self._result
            if result is None:
                self._done_callbacks.append(fn)
                return
        _call(fn, result)

    def add_progress_callback(self, fn: ProgressCallback) -> None:
        with self.lock:
            self._progress_callbacks.append(fn)

    # -- driven by the executor --------------------------------------------------------------------

    def mark_started(self) -> None:
        with self.lock:
            if self._started is None:
                self._started = datetime.now(UTC)
                self._started_at = time.monotonic()

    def emit_progress(self, attempt: int, event: ProgressEvent) -> None:
        """Pass an event to the callbacks, unless it comes from a superseded attempt or arrives late."""
        with self.lock:
            if self._result is not None or attempt != self.attempt:
                return
            callbacks = list(self._progress_callbacks)
        for fn in callbacks:
            _call(fn, event)

    def finish(self, outcome: Outcome) -> bool:
        """Record the final result; False if the unit had already finished (first one wins)."""
        with self.lock:
            if self._result is not None:
                return False
            started = self._started
            duration = time.monotonic() - self._started_at if started is not None else 0.0
            self._result = WorkResult(
                key=self.key,
                task=self._spec.task,
                status=outcome.status,
                value=outcome.value,
                error=outcome.error,
                attempts=self.attempt if started is not None else 0,
                started=started,
                finished=datetime.now(UTC),
                duration=duration,
            )
            callbacks, self._done_callbacks = self._done_callbacks, []
            self._progress_callbacks = []
            self.lock.notify_all()
            result = self._result
        log.debug("work %s (task %s) %s: %s", self.key, self._spec.task, result.status.value, result.error)
        for fn in callbacks:
            _call(fn, result)
        return True

    def finish_cancelled(self, why: str) -> bool:
        return self.finish(Outcome(WorkStatus.CANCELLED, error=f"task {self._spec.task!r} {why}"))


def _call(fn: Callable[[T], None], arg: T) -> None:
    """Run a user callback; its failure is logged, never allowed to break the executor."""
    try:
        fn(arg)
    except Exception:
        log.exception("callback %r failed", fn)
