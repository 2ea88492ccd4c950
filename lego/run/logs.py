"""Reading a run's stored logs: ``<run dir>/logs/<job>.log``, one ``<UTC time>\\t<line>`` per line."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from lego.errors import RunStateError
from lego.run.layout import RunDir


class LogLine(NamedTuple):
    """One stored line (a tuple: a million-line log makes a million of them)."""

    job: str
    time: str
    text: str


def _parse(job: str, raw: str) -> LogLine:
    line = raw.rstrip("\n")
    stamp, sep, text = line.partition("\t")
    return LogLine(job, stamp, text) if sep else LogLine(job, "", line)


def log_paths(rdir: RunDir, jobs: Sequence[str], only: str | None) -> list[tuple[str, Path]]:
    if only is not None:
        match = [j for j in jobs if j == only] or [j for j in jobs if j.split(" (", 1)[0] == only]
        if not match:
            raise RunStateError(f"run {rdir.root.name} has no job {only!r}; its jobs: {', '.join(jobs)}")
        jobs = match
    return [(j, rdir.log_file(j)) for j in jobs]


def read_logs(paths: Sequence[tuple[str, Path]]) -> Iterator[LogLine]:
    """Every stored line, one job after another (jobs that never started have no file)."""
    for job, path in paths:
        try:
            with path.open(encoding="utf-8", errors="replace") as fh:
                for raw in fh:
                    yield _parse(job, raw)
        except FileNotFoundError:
            continue


def follow_logs(
    paths: Sequence[tuple[str, Path]],
    still_running: Callable[[], bool],
    interval: float = 0.3,
    on_idle: Callable[[], None] = lambda: None,
) -> Iterator[LogLine]:
    """Lines as they are written, from the start, until ``still_running()`` is false and all is read;
    ``on_idle`` is called each time everything written so far has been given (flush there)."""
    offsets = {job: 0 for job, _ in paths}
    partial = {job: "" for job, _ in paths}
    while True:
        running = still_running()
        for job, path in paths:
            try:
                with path.open(encoding="utf-8", errors="replace") as fh:
                    fh.seek(offsets[job])
                    chunk = fh.read()
                    offsets[job] = fh.tell()
            except FileNotFoundError:
                continue
            text = partial[job] + chunk
            *lines, partial[job] = text.split("\n")
            for raw in lines:
                yield _parse(job, raw)
        on_idle()
        if not running:
            return
        time.sleep(interval)
