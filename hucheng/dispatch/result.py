"""What came back: :class:`WorkResult` and the per-attempt :class:`Outcome`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from hucheng.errors import DispatchError, WorkCancelled, WorkTimeout


class WorkStatus(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    TIMED_OUT = "timed_out"
    CANCELLED = "cancelled"


#: statuses after which an attempt is retried when the spec allows it
RETRYABLE = frozenset({WorkStatus.FAILED, WorkStatus.TIMED_OUT})


@dataclass(frozen=True)
class Outcome:
    """How one attempt ended. Plain data: it comes back from worker processes by pickle."""

    status: WorkStatus
    value: Any = None
    error: str = ""


@dataclass(frozen=True)
class WorkResult:
    """The final result of a unit of work, after all its attempts.

    ``error`` is one line, empty on success. ``started`` is None when the unit never started (it was
    cancelled while pending); ``duration`` counts from the first attempt's start, in seconds.
    """

    key: str
    task: str
    status: WorkStatus
    value: Any = None
    error: str = ""
    attempts: int = 0
    started: datetime | None = None
    finished: datetime | None = None
    duration: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status is WorkStatus.SUCCEEDED

    def unwrap(self) -> Any:
        """The value on success; otherwise raise the matching :class:`DispatchError`."""
        if self.status is WorkStatus.SUCCEEDED:
            return self.value
        if self.status is WorkStatus.TIMED_OUT:
            raise WorkTimeout(self.error)
        if self.status is WorkStatus.CANCELLED:
            raise WorkCancelled(self.error)
        raise DispatchError(self.error)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "task": self.task,
            "status": self.status.value,
            "value": self.value,
            "error": self.error,
            "attempts": self.attempts,
            "started": self.started.isoformat() if self.started else None,
            "finished": self.finished.isoformat() if self.finished else None,
            "duration": self.duration,
        }
