"""What ``lego run``, ``retry`` and ``resume`` share at the edge: the live view, signals, the summary,
metrics and the notification hook. The library (:mod:`lego.run.engine`) does the running."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import TYPE_CHECKING, Any

from hucheng.exitcodes import ExitCode
from hucheng.output.jsonout import write_json
from hucheng.output.table import Column, TableData, emit

if TYPE_CHECKING:
    from hucheng.config import Settings
    from lego.run.context import LogView
    from lego.run.state import RunResult

log = logging.getLogger(__name__)

STATUS_STYLES = {
    "success": "green",
    "failed": "red",
    "cancelled": "yellow",
    "skipped": "dim",
    "waiting": "cyan",
}


@contextlib.contextmanager
def cancel_on_signals(cancel: threading.Event) -> Iterator[None]:
    """SIGTERM (``lego cancel``), Ctrl-C and SIGHUP (the terminal or ssh session closed) set ``cancel``:
    the run cancels its jobs cleanly (each step's group gets SIGTERM, then SIGKILL after the grace) and
    returns; more signals change nothing. Steps run in sessions of their own, so without this a closed
    terminal would end the runner and leave its steps running."""

    def on_signal(signum: int, frame: FrameType | None) -> None:
        cancel.set()

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


@contextlib.contextmanager
def run_view(fmt: str, cancel: threading.Event | None = None, *, blocks: bool = True) -> Iterator[LogView]:
    """A rich live view on a terminal (not in CI), prefixed lines otherwise; with ``--format json`` the
    job lines go to stderr so stdout stays one JSON document. When the reader of those lines goes away
    (``lego run | head``) the run is cancelled, as Ctrl-C would (``cancel`` is set), instead of the
    runner dying mid-run with its steps left running and the run left "running"."""
    from hucheng.output.closedpipe import GuardedStream
    from hucheng.output.progress import wants_live_display
    from lego.run.cimarks import ci_marks
    from lego.run.views import LiveView, PlainView

    live = wants_live_display(sys.stdout, os.environ) and fmt != "json"
    stream = sys.stderr if fmt == "json" else sys.stdout

    def closed() -> None:
        if stream is sys.stdout:
            with contextlib.suppress(OSError, ValueError):
                print("hucheng: the output was closed: cancelling the run", file=sys.stderr, flush=True)
        if cancel is not None:
            cancel.set()

    if live:
        from rich.console import Console

        guarded = GuardedStream(sys.stdout, closed)  # a terminal that hangs up: EIO on every write
        with LiveView(Console(file=guarded)) as view:  # type: ignore[arg-type]
            yield view
        return
    plain = PlainView(stream, on_closed=closed, marks=ci_marks(os.environ), blocks=blocks)
    try:
        yield plain
    finally:
        plain.close()  # blocks still held when a run is cut short


def execute_with_edges(
    settings: Settings, fmt: str, start: Callable[[LogView, threading.Event], RunResult]
) -> int:
    """Run ``start(view, cancel)`` with signals handled, then report, push metrics and notify."""
    from hucheng.errors import HuchengError, MetricsError
    from lego.run.metrics import push_run_metrics
    from lego.run.notify import on_run_finished

    cancel = threading.Event()
    blocks = settings.lego.output == "blocks"
    with cancel_on_signals(cancel), run_view(fmt, cancel, blocks=blocks) as view:
        result = start(view, cancel)
    stdout_gone = _stdout_gone(view)
    try:
        push_run_metrics(result, settings.metrics)
    except MetricsError as exc:  # the run is recorded; a dead Pushgateway must not change its result
        print(f"hucheng: warning: {exc}", file=sys.stderr)
    try:
        on_run_finished(result, settings)
    except HuchengError as exc:  # likewise a broken routing config: the run result stands
        print(f"hucheng: warning: failure notification not sent: {exc}", file=sys.stderr)
    try:
        if not stdout_gone:
            render_result(result, fmt)
    except OSError:  # the reader went away (EPIPE, a hung-up terminal): the run's result decides the code
        stdout_gone = True
    if stdout_gone:
        from hucheng.output.closedpipe import stdout_to_devnull

        stdout_to_devnull()
    return exit_code(result)


def _stdout_gone(view: LogView) -> bool:
    """Whether the run found stdout's reader gone (a closed pipe, a hung-up terminal)."""
    from hucheng.output.closedpipe import GuardedStream
    from lego.run.views import LiveView, PlainView

    if isinstance(view, PlainView):
        return view.closed and view.stream is sys.stdout
    if isinstance(view, LiveView):
        return isinstance(view.console.file, GuardedStream) and view.console.file.gone
    return False


def exit_code(result: RunResult) -> int:
    from lego.run.state import RunStatus

    return {RunStatus.SUCCESS: ExitCode.OK, RunStatus.CANCELLED: ExitCode.INTERRUPTED}.get(
        result.status, ExitCode.FINDINGS
    )


def result_json(result: RunResult) -> dict[str, Any]:
    from hucheng.output.jsonout import to_jsonable
    from lego.run.journal import result_to_json

    return {
        "run_id": result.run_id,
        "pipeline": result.pipeline,
        "status": result.status.value,
        "started": result.started,
        "finished": result.finished,
        "duration_seconds": result.duration_seconds,
        "trigger": to_jsonable(result.trigger),
        "run_dir": result.run_dir,
        "counts": result.counts,
        "cache_hits": result.cache_hits,
        "jobs": [result_to_json(j) for j in result.jobs.values()],
    }


#: above this many jobs the summary lists only those that did not succeed
SUMMARY_ROWS = 40

JOB_COLUMNS = (
    Column("job", "job"),
    Column("status", "status", styles=STATUS_STYLES),
    Column("duration", "time", justify="right"),
    Column("note", "note"),
)


def job_row(
    job: str, status: str, duration: float, cache_hit: bool, reused: str | None, message: str
) -> dict[str, Any]:
    note = "cache hit" if cache_hit else f"reused from {reused}" if reused else message
    return {"job": job, "status": status, "duration": f"{duration:.2f}s", "note": note}


def render_result(result: RunResult, fmt: str) -> None:
    if fmt == "json":
        write_json(result_json(result), sys.stdout)
        return
    jobs = list(result.jobs.values())
    left_out = 0
    if len(jobs) > SUMMARY_ROWS:  # a big graph: the jobs that need attention, not 2,000 green rows
        attention = [j for j in jobs if j.status.value != "success"]
        jobs, left_out = attention[:SUMMARY_ROWS], max(len(attention) - SUMMARY_ROWS, 0)
    rows = [
        job_row(j.job, j.status.value, j.duration_seconds, j.cache_hit, j.reused_from, j.message)
        for j in jobs
    ]
    counts = ", ".join(f"{n} {s}" for s, n in sorted(result.counts.items()))
    if result.cache_hits:
        counts += f"; {result.cache_hits} from cache"
    title = f"run {result.run_id}: {result.status.value} in {result.duration_seconds:.2f}s ({counts})"
    print(title)  # its own line: as a table title rich wrapped it to the table's width
    if rows:  # (none when every job of a big graph succeeded)
        emit(TableData(JOB_COLUMNS, rows), "table")
    if left_out:
        print(f"... and {left_out} more that did not succeed: hucheng lego show {result.run_id}")
    print(f"logs: hucheng lego logs {result.run_id}")
