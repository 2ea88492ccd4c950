"""Executors: run units of work described by plain-data :class:`WorkSpec` objects.

    from hucheng.dispatch import LocalExecutor, WorkSpec, WorkKind

    with LocalExecutor() as executor:
        for result in executor.map([WorkSpec("mypkg.jobs:scan", {"path": "."}, kind=WorkKind.CPU)]):
            print(result.status, result.value)

See docs/dispatch.md.
"""

from __future__ import annotations

from hucheng.dispatch.interface import (
    DoneCallback,
    Executor,
    ProgressCallback,
    WorkContext,
    WorkHandle,
)
from hucheng.dispatch.local import LocalExecutor
from hucheng.dispatch.result import WorkResult, WorkStatus
from hucheng.dispatch.spec import SpecError, WorkKind, WorkSpec
from hucheng.dispatch.tasks import resolve_task
from hucheng.progress import ProgressEvent

__all__ = [
    "DoneCallback",
    "Executor",
    "LocalExecutor",
    "ProgressCallback",
    "ProgressEvent",
    "SpecError",
    "WorkContext",
    "WorkHandle",
    "WorkKind",
    "WorkResult",
    "WorkSpec",
    "WorkStatus",
    "resolve_task",
]
