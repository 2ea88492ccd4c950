"""Live output of a run: prefixed whole lines for CI and pipes, a rich live view on a terminal.

Both are called from the runner's loop (and, for lego's own notes, from a helper thread doing a job's
file work); each line is written with one ``write`` under a lock, so lines of parallel jobs never
interleave mid-line. The loop calls ``flush`` before it waits for anything, so what was written reaches
the terminal or CI log at once, in one system call per turn of the loop instead of one per line.
"""

from __future__ import annotations

import threading
import time
from typing import IO, Any

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


class PlainView:
    """``[job] line`` for every output line, and a line when a job starts and ends."""

    #: whole lines are handed to the stream in batches of about this size: a pipe writes up to 4 KiB
    #: (PIPE_BUF) in one piece, so a batch is never split by another writer of the same CI log (our
    #: stderr); the stream's own buffer would cut wherever 8 KiB ends, mid-line
    BATCH = 4096

    def __init__(self, stream: IO[str], *, show_output: bool = True) -> None:
        self.stream = stream
        self.show_output = show_output
        self._lock = threading.Lock()
        self._pending: list[str] = []
        self._size = 0

    def _write(self, text: str) -> None:
        size = len(text) if text.isascii() else len(text.encode())
        with self._lock:
            if self._size + size > self.BATCH:
                self._flush_locked()
            self._pending.append(text)
            self._size += size

    def flush(self) -> None:
        with self._lock:
            self._flush_locked()

    def _flush_locked(self) -> None:
        if self._pending:
            self.stream.write("".join(self._pending))
            self._pending.clear()
            self._size = 0
        self.stream.flush()

    def job_started(self, job: str) -> None:
        self._write(f"[{job}] started\n")

    def line(self, job: str, text: str) -> None:
        if self.show_output:
            self._write(f"[{job}] {text}\n")

    def job_finished(self, result: JobResult) -> None:
        self._write(f"[{result.job}] {finish_line(result)}\n")


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

    def job_finished(self, result: JobResult) -> None:
        from rich.text import Text

        with self._lock:
            self._running.pop(result.job, None)
        style = {JobStatus.SUCCESS: "green", JobStatus.FAILED: "red"}.get(result.status, "yellow")
        self.console.print(Text.assemble((f"{result.job} ", "bold"), (finish_line(result), style)))
