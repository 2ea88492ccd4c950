"""The executor interface: what every executor (local now, Celery later) implements.

A task is a plain function ``fn(ctx: WorkContext, **args) -> JSON-able value``, named in a
:class:`~hucheng.dispatch.spec.WorkSpec` as ``"package.module:function"``.
"""

from __future__ import annotations

import queue
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import Self

from hucheng.dispatch.result import WorkResult
from hucheng.dispatch.spec import WorkSpec
from hucheng.progress import ProgressEvent

ProgressCallback = Callable[[ProgressEvent], None]
DoneCallback = Callable[[WorkResult], None]


class WorkContext:
    """What a running task sees: its key, a progress reporter and a cooperative cancellation flag.

    Executors build one per attempt; tests can build one directly to call a task function.
    """

    def __init__(
        self,
        key: str,
        *,
        attempt: int = 1,
        on_progress: ProgressCallback | None = None,
        is_cancelled: Callable[[], bool] | None = None,
    ) -> None:
        self._key = key
        self._attempt = attempt
        self._on_progress = on_progress
        self._is_cancelled = is_cancelled

    @property
    def key(self) -> str:
        return self._key

    @property
    def attempt(self) -> int:
        """1 for the first attempt, 2 for the first retry, ..."""
        return self._attempt

    def progress(self, done: float, total: float | None = None, message: str = "") -> None:
        """Report progress; the executor passes it to the submitter's ``on_progress`` callbacks."""
        if self._on_progress is not None:
            total = float(total) if total is not None else None
            self._on_progress(ProgressEvent(self._key, float(done), total, message))

    def cancelled(self) -> bool:
        """True once the unit was cancelled or timed out: a cooperative task should return soon."""
        return self._is_cancelled is not None and self._is_cancelled()


class WorkHandle(ABC):
    """A submitted unit of work."""

    @property
    @abstractmethod
    def key(self) -> str: ...

    @property
    @abstractmethod
    def spec(self) -> WorkSpec: ...

    @abstractmethod
    def result(self, timeout: float | None = None) -> WorkResult:
        """Wait for the final result. A failing task does not raise: ``status`` says how it ended.

        Raises :class:`~hucheng.errors.WorkTimeout` only if *this wait* exceeds ``timeout`` seconds.
        """

    @abstractmethod
    def cancel(self) -> bool:
        """Cancel the unit; True if it was not finished yet (its status will be ``cancelled``)."""

    @abstractmethod
    def done(self) -> bool: ...

    @abstractmethod
    def add_done_callback(self, fn: DoneCallback) -> None:
        """Call ``fn(result)`` when the unit finishes (at once if it already has)."""

    @abstractmethod
    def add_progress_callback(self, fn: ProgressCallback) -> None:
        """Call ``fn(event)`` for every progress event reported from now on."""


class Executor(ABC):
    """Runs :class:`WorkSpec` units. Submitting a key that this executor already has returns its handle."""

    @abstractmethod
    def submit(self, spec: WorkSpec, *, on_progress: ProgressCallback | None = None) -> WorkHandle: ...

    @abstractmethod
    def shutdown(self, cancel_pending: bool = False) -> None:
        """Stop accepting work and wait for what was submitted; ``cancel_pending`` cancels units not
        yet started. Calling it twice is harmless."""

    def map(
        self, specs: Iterable[WorkSpec], on_progress: ProgressCallback | None = None
    ) -> Iterator[WorkResult]:
        """Submit every spec now; yield one result per distinct key, in completion order."""
        handles: dict[str, WorkHandle] = {}
        for spec in specs:
            handle = self.submit(spec, on_progress=on_progress)
            handles.setdefault(handle.key, handle)
        finished: queue.SimpleQueue[WorkResult] = queue.SimpleQueue()
        for handle in handles.values():
            handle.add_done_callback(finished.put)
        return (finished.get() for _ in range(len(handles)))

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.shutdown(cancel_pending=exc is not None)
