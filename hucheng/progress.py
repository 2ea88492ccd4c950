"""Progress of long work, as plain events: the library reports, only the CLI renders.

A library function that takes a while accepts ``on_progress: ProgressCallback = no_progress`` and calls
it with :class:`ProgressEvent` values. Executors carry the same events across threads and processes
(:mod:`hucheng.dispatch`); the CLI turns them into a rich bar on a terminal or throttled lines in CI
(:mod:`hucheng.output.progress`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProgressEvent:
    """A task's report of how far it got; ``total`` is None when the task does not know it."""

    key: str
    done: float
    total: float | None = None
    message: str = ""


ProgressCallback = Callable[[ProgressEvent], None]


def no_progress(event: ProgressEvent) -> None:
    """The default observer: does nothing."""
