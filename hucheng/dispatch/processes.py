"""``cpu`` work: attempts run in worker processes of a :class:`pebble.ProcessPool`.

pebble enforces timeouts by killing the worker and reports a worker that died (``os._exit``, a signal,
the OOM killer) as :class:`pebble.ProcessExpired`; the pool replaces the worker and the other units
carry on. Workers are started with ``spawn``: no fork of a process that runs threads.

Progress events and cancel flags cross the process boundary through a :mod:`multiprocessing` manager
(a queue and a dict). Unlike a plain ``multiprocessing.Queue`` shared by all workers, a manager proxy
gives each worker its own connection, so a worker killed in the middle of a ``put`` cannot leave a lock
held that would block the others.

One thread here (the *drain* thread) reads that queue: it calls the progress callbacks and, because
pebble's "done" is posted to the same queue after the worker's last progress event, it also finishes
the attempt. So every progress event of an attempt is delivered before its result.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import threading
from concurrent.futures import Future
from typing import Any

import pebble

from hucheng.dispatch.handle import LocalHandle
from hucheng.dispatch.interface import WorkContext
from hucheng.dispatch.result import Outcome, WorkStatus
from hucheng.dispatch.spec import WorkSpec
from hucheng.dispatch.tasks import one_line, run_attempt
from hucheng.dispatch.threads import AttemptEnded
from hucheng.errors import DispatchError
from hucheng.exitstatus import signal_name
from hucheng.progress import ProgressEvent

log = logging.getLogger(__name__)


def worker_main(task: str, key: str, attempt: int, args: dict[str, Any], channel: Any, flags: Any) -> Outcome:
    """Runs in the worker process: one attempt of one task."""
    channel.put(("start", key, attempt))

    def report(event: ProgressEvent) -> None:
        channel.put(("progress", key, attempt, event.done, event.total, event.message))

    ctx = WorkContext(key, attempt=attempt, on_progress=report, is_cancelled=lambda: key in flags)
    return run_attempt(task, ctx, args)


def death_message(spec: WorkSpec, error: Any) -> str:
    """One line for a worker that died under a task, e.g. ``... died: killed by signal SIGKILL``."""
    code = getattr(error, "exitcode", None)
    if isinstance(code, int) and code < 0:
        cause = f"killed by signal {signal_name(-code) or -code}"
    else:
        cause = f"exited with code {code}"
    pid = getattr(error, "pid", None)
    return str(
        DispatchError(f"worker process {pid} running task {spec.task!r} (key {spec.key}) died: {cause}")
    )


class ProcessRunner:
    def __init__(self, max_workers: int, on_end: AttemptEnded, cancel_grace: float) -> None:
        self._max_workers = max_workers
        self._on_end = on_end
        self._cancel_grace = cancel_grace
        self._mp = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._pool: Any = None
        self._manager: Any = None
        self._channel: Any = None
        self._flags: Any = None
        self._drain: threading.Thread | None = None
        self._handles: dict[str, LocalHandle] = {}
        #: key -> (attempt, pebble future) of the current attempt
        self._current: dict[str, tuple[int, Future[Outcome]]] = {}
        self._timers: list[threading.Timer] = []

    def start(self, handle: LocalHandle, attempt: int) -> None:
        self._ensure_started()
        spec = handle.spec
        with self._lock:
            self._handles[handle.key] = handle
            future: Future[Outcome] = self._pool.schedule(
                worker_main,
                args=(spec.task, spec.key, attempt, dict(spec.args), self._channel, self._flags),
                timeout=spec.timeout,
            )
            self._current[handle.key] = (attempt, future)
        future.add_done_callback(functools.partial(self._post_done, handle.key, attempt))
        if handle.done():  # cancelled while we were scheduling
            future.cancel()

    def cancel(self, handle: LocalHandle) -> None:
        """Set the unit's cancel flag; kill its worker after the grace period if it is still running."""
        with self._lock:
            entry = self._current.get(handle.key)
            flags = self._flags
        if entry is None:
            return
        future = entry[1]
        if future.running() and self._cancel_grace > 0:
            try:
                flags[handle.key] = True
            except Exception as exc:  # the manager is gone: nothing left to be cooperative with
                log.debug("could not set the cancel flag of %s: %s", handle.key, exc)
            timer = threading.Timer(self._cancel_grace, future.cancel)
            timer.daemon = True
            timer.start()
            with self._lock:
                self._timers.append(timer)
        else:
            future.cancel()

    def shutdown(self) -> None:
        with self._lock:
            pool, manager, channel, drain = self._pool, self._manager, self._channel, self._drain
            self._pool = self._manager = self._channel = self._flags = self._drain = None
            timers, self._timers = self._timers, []
            futures = [future for _, future in self._current.values()]
        for timer in timers:
            timer.cancel()
        for future in futures:
            future.cancel()  # only cancelled units still run at this point: stop them now
        if pool is not None:
            pool.close()
            pool.join()
        if channel is not None and drain is not None:
            channel.put(None)
            drain.join()
        if manager is not None:
            manager.shutdown()

    def _ensure_started(self) -> None:
        with self._lock:
            if self._pool is not None:
                return
            log.debug("starting a process pool of %d workers", self._max_workers)
            manager = self._mp.Manager()
            try:
                self._channel = manager.Queue()
                self._flags = manager.dict()
                self._pool = pebble.ProcessPool(max_workers=self._max_workers, context=self._mp)
            except BaseException:
                self._channel = self._flags = None
                manager.shutdown()
                raise
            self._manager = manager
            self._drain = threading.Thread(
                target=self._drain_loop, args=(self._channel,), name="hucheng-dispatch-drain", daemon=True
            )
            self._drain.start()

    def _post_done(self, key: str, attempt: int, _future: Future[Outcome]) -> None:
        """pebble's done callback: queue the end behind the attempt's progress events."""
        with self._lock:
            channel = self._channel
        try:
            if channel is None:
                raise DispatchError("the process runner is shut down")
            channel.put(("done", key, attempt))
        except Exception as exc:
            log.debug("could not queue the end of %s (%s); finishing it directly", key, exc)
            self._attempt_done(key, attempt)

    def _drain_loop(self, channel: Any) -> None:
        while True:
            try:
                message = channel.get()
            except (EOFError, OSError) as exc:
                log.warning("the dispatch progress channel closed: %s", exc)
                return
            if message is None:
                return
            try:
                self._dispatch(message)
            except Exception:
                log.exception("could not handle the worker message %r", message)

    def _dispatch(self, message: tuple[Any, ...]) -> None:
        kind, key, attempt = message[:3]
        with self._lock:
            handle = self._handles.get(key)
        if handle is None:
            return
        if kind == "start":
            if attempt == handle.attempt:
                handle.mark_started()
        elif kind == "progress":
            done, total, text = message[3:]
            handle.emit_progress(attempt, ProgressEvent(key, done, total, text))
        elif kind == "done":
            self._attempt_done(key, attempt)

    def _attempt_done(self, key: str, attempt: int) -> None:
        with self._lock:
            handle = self._handles.get(key)
            entry = self._current.get(key)
            if handle is None or entry is None or entry[0] != attempt:
                return
            del self._current[key]
        self._on_end(handle, attempt, _outcome(handle.spec, entry[1]))


def _outcome(spec: WorkSpec, future: Future[Outcome]) -> Outcome:
    if future.cancelled():
        return Outcome(WorkStatus.CANCELLED, error=f"task {spec.task!r} cancelled")
    error = future.exception()
    if error is None:
        return future.result()
    if isinstance(error, TimeoutError):
        return Outcome(
            WorkStatus.TIMED_OUT,
            error=f"task {spec.task!r} timed out after {spec.timeout:g}s; its worker process was killed",
        )
    if isinstance(error, pebble.ProcessExpired):
        return Outcome(WorkStatus.FAILED, error=death_message(spec, error))
    return Outcome(
        WorkStatus.FAILED, error=f"task {spec.task!r} could not run in a worker process: {one_line(error)}"
    )
