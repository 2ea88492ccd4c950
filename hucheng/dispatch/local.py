"""The local executor: ``io`` units on threads, ``cpu`` units on worker processes, on this machine."""

from __future__ import annotations

import logging
import os
import threading

from hucheng.dispatch.handle import LocalHandle
from hucheng.dispatch.interface import Executor, ProgressCallback, WorkHandle
from hucheng.dispatch.processes import ProcessRunner
from hucheng.dispatch.result import RETRYABLE, Outcome, WorkStatus
from hucheng.dispatch.spec import WorkKind, WorkSpec
from hucheng.dispatch.tasks import one_line
from hucheng.dispatch.threads import ThreadRunner
from hucheng.errors import DispatchError

log = logging.getLogger(__name__)


class LocalExecutor(Executor):
    """Run work on this machine.

    ``max_workers`` caps the thread pool (default: :class:`~concurrent.futures.ThreadPoolExecutor`'s)
    and, unless ``max_processes`` is given, the process pool (default: the number of CPUs). Worker
    processes start on the first ``cpu`` unit. ``cancel_grace`` is how long a running ``cpu`` unit may
    take to notice ``ctx.cancelled()`` before its worker is killed.
    """

    def __init__(
        self, max_workers: int | None = None, *, max_processes: int | None = None, cancel_grace: float = 1.0
    ) -> None:
        if max_workers is not None and max_workers < 1:
            raise DispatchError(f"max_workers must be at least 1, not {max_workers}")
        if max_processes is not None and max_processes < 1:
            raise DispatchError(f"max_processes must be at least 1, not {max_processes}")
        self._lock = threading.Lock()
        self._handles: dict[str, LocalHandle] = {}
        self._closed = False
        self._stopped = False
        self._threads = ThreadRunner(max_workers, self._attempt_ended)
        processes = max_processes or max_workers or os.cpu_count() or 1
        self._processes = ProcessRunner(processes, self._attempt_ended, cancel_grace)

    def submit(self, spec: WorkSpec, *, on_progress: ProgressCallback | None = None) -> WorkHandle:
        with self._lock:
            handle = self._handles.get(spec.key)
            new = handle is None
            if handle is None:
                if self._closed:
                    raise DispatchError(f"cannot submit task {spec.task!r}: the executor is shut down")
                handle = LocalHandle(spec, self._cancel)
                handle.attempt = 1
                self._handles[spec.key] = handle
        if on_progress is not None:
            handle.add_progress_callback(on_progress)
        if new:
            log.debug("submitting %s (task %s, %s)", spec.key, spec.task, spec.kind.value)
            try:
                self._start(handle, 1)
            except Exception as exc:
                with self._lock:
                    del self._handles[spec.key]
                message = f"could not start task {spec.task!r}: {one_line(exc)}"
                handle.finish(Outcome(WorkStatus.FAILED, error=message))
                raise DispatchError(message) from exc
        else:
            log.debug("work %s already submitted; returning its handle", spec.key)
        return handle

    def shutdown(self, cancel_pending: bool = False) -> None:
        with self._lock:
            self._closed = True
            if self._stopped:
                return
            self._stopped = True
            handles = list(self._handles.values())
        if cancel_pending:
            for handle in handles:
                if not handle.started():
                    handle.cancel()
        for handle in handles:
            handle.result()
        self._threads.shutdown()
        self._processes.shutdown()

    def _start(self, handle: LocalHandle, attempt: int) -> None:
        if handle.spec.kind is WorkKind.CPU:
            self._processes.start(handle, attempt)
        else:
            self._threads.start(handle, attempt)

    def _attempt_ended(self, handle: LocalHandle, attempt: int, outcome: Outcome) -> None:
        """Called once per attempt (from a worker thread, a deadline timer or the drain thread)."""
        with handle.lock:
            if handle.done() or attempt != handle.attempt:
                return  # cancelled, or a superseded attempt finishing late
            retry = outcome.status in RETRYABLE and attempt <= handle.spec.retries
            if retry:
                handle.attempt = attempt + 1
        if retry:
            log.info(
                "work %s (task %s) attempt %d %s: %s; retrying",
                handle.key,
                handle.spec.task,
                attempt,
                outcome.status.value,
                outcome.error,
            )
            try:
                self._start(handle, attempt + 1)
            except Exception as exc:
                log.debug("could not start attempt %d of %s", attempt + 1, handle.key, exc_info=True)
                error = f"{outcome.error}; the retry could not start: {one_line(exc)}"
                handle.finish(Outcome(outcome.status, error=error))
        else:
            handle.finish(outcome)

    def _cancel(self, handle: LocalHandle) -> bool:
        why = "cancelled while running" if handle.started() else "cancelled before it started"
        if not handle.finish_cancelled(why):
            return False
        if handle.spec.kind is WorkKind.CPU:
            self._processes.cancel(handle)
        else:
            self._threads.cancel(handle)
        return True
