"""Live output of a run: one block of prefixed lines per job for CI and pipes, a rich live view on a
terminal.

Both are called from the runner's loop (and, for lego's own notes, from a helper thread doing a job's
file work); each line is written with one ``write`` under a lock, so lines of parallel jobs never
interleave mid-line. The loop calls ``flush`` before it waits for anything, so what was written reaches
the terminal or CI log at once, in one system call per turn of the loop instead of one per line.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable
from typing import IO, Any

from hucheng.output.closedpipe import GuardedStream
from lego.run.cimarks import BlockMarks
from lego.run.state import JobResult, JobStatus

_MARK = {
    JobStatus.SUCCESS: "ok",
    JobStatus.FAILED: "FAILED",
    JobStatus.SKIPPED: "skipped",
    JobStatus.CANCELLED: "cancelled",
    JobStatus.WAITING: "waiting",
}


def finish_line(result: JobResult) -> str:
    extra = " (cache hit)" if result.cache_hit else " (reused)" if result.reused_from else ""
    why = f": {result.message}" if result.message and result.status is not JobStatus.SUCCESS else ""
    return f"{_MARK.get(result.status, result.status.value)} in {result.duration_seconds:.2f}s{extra}{why}"


class _Held:
    """A job's lines waiting for the stream: in memory, in a temporary file past ``LIMIT`` characters
    (a job printing 10 MB while another one is on screen must not hold 10 MB for the run)."""

    LIMIT = 1 << 20

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.size = 0
        self.spill: IO[str] | None = None
        self.finish: str | None = None  # the job's last line ("ok in 1.2s"), once it has ended

    def add(self, text: str) -> None:
        if self.spill is not None:
            self.spill.write(text)
            return
        self.lines.append(text)
        self.size += len(text)
        if self.size > self.LIMIT:
            # closed by PlainView._dump_locked once written
            self.spill = tempfile.TemporaryFile(  # noqa: SIM115
                "w+", encoding="utf-8", errors="replace", newline=""
            )
            self.spill.writelines(self.lines)
            self.lines = []

    def drain(self) -> list[str] | IO[str]:
        """The held lines, or the spill file rewound (the caller reads it line by line and closes it)."""
        if self.spill is None:
            return self.lines
        self.spill.seek(0)
        return self.spill


class PlainView:
    """``[job] line`` for every output line, and a line when a job starts and ends: one block per job.

    The first started job with something to say has the stream and is written live; the lines of the
    jobs running beside it are held and written when it ends, as whole blocks (a job that has ended),
    then live again for the next one still running. A line of a job that has not started (a manual job
    waiting for approval, a skipped or cached job's one line) is written between blocks. So a CI log
    reads job by job, as ``make --output-sync`` and go-task's ``output: group`` do, without waiting for
    the end of a long job to show anything. ``close`` writes whatever is still held (a run that was cut
    short); every line is in the stored logs either way. ``marks`` folds each block in a CI log viewer;
    a job's last line (``ok in 1.2s``, ``FAILED ...``) comes after the fold, so it shows when folded.
    """

    #: whole lines are handed to the stream in batches of about this size: a pipe writes up to 4 KiB
    #: (PIPE_BUF) in one piece, so a batch is never split by another writer of the same CI log (our
    #: stderr); the stream's own buffer would cut wherever 8 KiB ends, mid-line
    BATCH = 4096

    def __init__(
        self,
        stream: IO[str],
        *,
        show_output: bool = True,
        on_closed: Callable[[], None] = lambda: None,
        marks: BlockMarks | None = None,
        blocks: bool = True,
    ) -> None:
        """``blocks=False``: every line goes out at once (jobs interleaved line by line, no folds)."""
        self.stream = stream
        self.show_output = show_output
        self.blocks = blocks
        self.marks = (marks or BlockMarks()) if blocks else BlockMarks()
        #: ``on_closed`` is called once when the stream's reader goes away (``lego run | head``, a
        #: terminal that hung up); nothing is written after
        self._out = GuardedStream(stream, on_closed)
        self._lock = threading.Lock()
        self._pending: list[str] = []
        self._size = 0
        self._owner: str | None = None  # the job written live
        self._started: set[str] = set()
        self._held: dict[str, _Held] = {}  # in the order they were first held
        self._ended: set[str] = set()  # held jobs whose block is complete

    def _write_locked(self, text: str) -> None:
        size = len(text) if text.isascii() else len(text.encode())
        if self._size + size > self.BATCH:
            self._flush_locked()
        self._pending.append(text)
        self._size += size

    def _live_locked(self, job: str) -> bool:
        """Whether ``job``'s lines go out now: it has the stream (a started job takes it when it is
        free), or it has not started and nothing is on screen; else they are held."""
        if not self.blocks:
            return True
        if self._owner is None and job in self._started and job not in self._held:
            self._owner = job
            self._mark_locked(self.marks.start(job))
        return job == self._owner or (self._owner is None and job not in self._held)

    def _emit(self, job: str, text: str, *, ended: bool = False) -> None:
        with self._lock:
            if not self._live_locked(job):
                held = self._held.setdefault(job, _Held())
                if ended:
                    held.finish = text
                    self._ended.add(job)
                else:
                    held.add(text)
                return
            mine = job == self._owner
            if ended and mine:
                self._mark_locked(self.marks.end(job))
            self._write_locked(text)
            if ended and mine:
                self._release_locked()

    def _emit_many(self, job: str, texts: list[str]) -> None:
        """:meth:`_emit` for several lines of one job that has not ended, under one lock."""
        with self._lock:
            if self._live_locked(job):
                for text in texts:
                    self._write_locked(text)
                return
            held = self._held.setdefault(job, _Held())
            for text in texts:
                held.add(text)

    def _mark_locked(self, mark: str) -> None:
        if mark:
            self._write_locked(mark)

    def _release_locked(self) -> None:
        """The job on screen ended: write the complete blocks and the loose lines held meanwhile, then
        give the stream to the job that has waited longest."""
        self._owner = None
        for job in [j for j in self._held if j in self._ended or j not in self._started]:
            self._dump_locked(job)
        for job in self._held:
            self._owner = job
            self._dump_locked(job)
            break

    def _dump_locked(self, job: str, *, closing: bool = False) -> None:
        """Write ``job``'s held lines: a whole block if it ended (or the run is closing), else the
        start of the block that then goes on live."""
        held = self._held.pop(job)
        self._ended.discard(job)
        block = job in self._started
        if block:
            self._mark_locked(self.marks.start(job))
        lines = held.drain()
        try:
            for text in lines:
                self._write_locked(text)
        finally:
            if held.spill is not None:
                held.spill.close()
        if block and (held.finish is not None or closing):
            self._mark_locked(self.marks.end(job))
        if held.finish is not None:
            self._write_locked(held.finish)

    def flush(self) -> None:
        with self._lock:
            self._flush_locked()

    def close(self) -> None:
        """Write every held block (after a cancelled or crashed run) and flush."""
        with self._lock:
            if self._owner is not None:
                self._mark_locked(self.marks.end(self._owner))
                self._owner = None
            for job in list(self._held):
                self._dump_locked(job, closing=True)
            self._flush_locked()

    @property
    def closed(self) -> bool:
        """Whether the stream's reader went away."""
        return self._out.gone

    def _flush_locked(self) -> None:
        text = "".join(self._pending)
        self._pending.clear()
        self._size = 0
        if text:
            self._out.write(text)
        self._out.flush()

    def job_started(self, job: str) -> None:
        with self._lock:
            self._started.add(job)
        self._emit(job, f"[{job}] started\n")

    def line(self, job: str, text: str) -> None:
        if self.show_output:
            self._emit(job, f"[{job}] {text}\n")

    def lines(self, job: str, texts: list[str]) -> None:
        if self.show_output:
            prefix = f"[{job}] "
            self._emit_many(job, [f"{prefix}{text}\n" for text in texts])

    def job_finished(self, result: JobResult) -> None:
        self._emit(result.job, f"[{result.job}] {finish_line(result)}\n", ended=True)


class LiveView:
    """A rich live table: each running job with its latest line; finished jobs scroll above it."""

    def __init__(self, console: Any) -> None:
        from rich.live import Live

        self.console = console
        self._lock = threading.Lock()
        self._running: dict[str, tuple[float, str]] = {}
        self._live = Live(console=console, refresh_per_second=8, transient=True, get_renderable=self._render)

    def __enter__(self) -> LiveView:
        self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._live.__exit__(None, None, None)

    def _render(self) -> Any:
        from rich.table import Table
        from rich.text import Text

        table = Table.grid(padding=(0, 1))
        now = time.monotonic()
        with self._lock:
            rows = list(self._running.items())
        for job, (started, last) in rows[:30]:
            table.add_row(
                Text("⠿", style="cyan"),
                Text(job, style="bold"),
                Text(f"{now - started:5.1f}s"),
                Text(last[-120:], style="dim", overflow="ellipsis", no_wrap=True),
            )
        if len(rows) > 30:
            table.add_row("", Text(f"... and {len(rows) - 30} more running"), "", "")
        return table

    def flush(self) -> None:
        pass  # rich redraws the live region itself

    def job_started(self, job: str) -> None:
        with self._lock:
            self._running[job] = (time.monotonic(), "")

    def line(self, job: str, text: str) -> None:
        with self._lock:
            if job in self._running:
                self._running[job] = (self._running[job][0], text)

    def lines(self, job: str, texts: list[str]) -> None:
        if texts:
            self.line(job, texts[-1])  # the view shows each job's latest line

    def job_finished(self, result: JobResult) -> None:
        from rich.text import Text

        with self._lock:
            self._running.pop(result.job, None)
        style = {JobStatus.SUCCESS: "green", JobStatus.FAILED: "red"}.get(result.status, "yellow")
        self.console.print(Text.assemble((f"{result.job} ", "bold"), (finish_line(result), style)))
