"""Rendering progress events: a rich bar on a terminal, throttled plain lines in CI or a pipe.

    with progress_display("export") as on_progress:
        export_to_file(store, query, path, on_progress=on_progress)

On a terminal (and ``CI`` unset) a rich progress bar per task key is drawn on stderr; otherwise a line
``hucheng: <key>: <done>/<total> <message>`` is written at most every ``interval`` seconds per key, the
first only once the work has run for ``interval``, and once more when a key that printed finishes: CI
logs stay short, quick work prints nothing, and lines never interleave mid-line.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import IO, Any

from hucheng.progress import ProgressCallback, ProgressEvent


def wants_live_display(stream: IO[str], environ: Mapping[str, str]) -> bool:
    ci = environ.get("CI", "").lower() not in {"", "0", "false"}
    return stream.isatty() and not ci


class LineProgress:
    """Throttled, line-oriented progress for logs: silent for work shorter than ``interval``."""

    def __init__(self, stream: IO[str], interval: float = 5.0) -> None:
        self.stream = stream
        self.interval = interval
        self._started: dict[str, float] = {}
        self._last: dict[str, float] = {}

    def __call__(self, event: ProgressEvent) -> None:
        now = time.monotonic()
        started = self._started.setdefault(event.key, now)
        finished = event.total is not None and event.done >= event.total
        last = self._last.get(event.key)
        # the first line waits a whole interval, so quick work never prints
        due = now - started >= self.interval if last is None else finished or now - last >= self.interval
        if not due:
            return
        self._last[event.key] = now
        amount = f"{event.done:g}" + (f"/{event.total:g}" if event.total is not None else "")
        text = f"hucheng: {event.key}: {amount}" + (f" {event.message}" if event.message else "")
        self.stream.write(text + "\n")
        self.stream.flush()


class RichProgress:
    """A live rich progress bar per key, on stderr."""

    def __init__(self, progress: Any) -> None:
        self._progress = progress
        self._tasks: dict[str, Any] = {}

    def __call__(self, event: ProgressEvent) -> None:
        task = self._tasks.get(event.key)
        if task is None:
            task = self._tasks[event.key] = self._progress.add_task(event.key, total=event.total)
        description = f"{event.key} {event.message}".strip()
        self._progress.update(task, completed=event.done, total=event.total, description=description)


@contextmanager
def progress_display(
    stream: IO[str] | None = None, environ: Mapping[str, str] | None = None, interval: float = 5.0
) -> Iterator[ProgressCallback]:
    """A progress callback suited to where output goes; closed cleanly when the block ends."""
    out = stream or sys.stderr
    env = os.environ if environ is None else environ
    if not wants_live_display(out, env):
        yield LineProgress(out, interval)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(file=out), transient=True) as progress:
        yield RichProgress(progress)
