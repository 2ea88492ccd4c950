"""Reading a run's stored logs: ``<run dir>/logs/<job>.log``, one ``<UTC time>\\t<line>`` per line."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from lego.errors import RunStateError
from lego.run.layout import RunDir


@dataclass(frozen=True)
class LogLine:
    job: str
    time: str
    text: str


def _parse(job: str, raw: str) -> LogLine:
    stamp, sep, text = raw.rstrip("\n").partition("\t")
    return LogLine(job, stamp, text) if sep else LogLine(job, "", raw.rstrip("\n"))


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
    paths: Sequence[tuple[str, Path]], still_running: Callable[[], bool], interval: float = 0.3
) -> Iterator[LogLine]:
    """Lines as they are written, from the start, until ``still_running()`` is false and all is read."""
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
        if not running:
            return
        time.sleep(interval)
