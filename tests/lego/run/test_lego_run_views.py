"""Live output (rich view, prefixed lines), stored logs and following them, and pipeline.json."""

from __future__ import annotations

import io
import json
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from lego_run_helpers import job, pipeline, run

from hucheng.store import Store
from lego.model import CacheSpec, Retry
from lego.run.cimarks import ci_marks
from lego.run.layout import RunDir
from lego.run.logs import follow_logs, log_paths, read_logs
from lego.run.serial import pipeline_from_json, pipeline_to_json
from lego.run.state import JobResult, JobStatus
from lego.run.views import LiveView, PlainView


def test_live_view_shows_running_jobs_and_prints_finished_ones() -> None:
    from rich.console import Console

    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100, color_system=None)
    with LiveView(console) as view:
        view.job_started("build")
        view.line("build", "compiling module 7 of 9")
        console.print(view._render())  # what the live region draws right now
        view.job_finished(JobResult("build", JobStatus.SUCCESS, duration_seconds=1.5))
    text = out.getvalue()
    assert "compiling module 7 of 9" in text
    assert "build ok in 1.50s" in text


def test_plain_view_writes_whole_prefixed_lines_from_many_threads() -> None:
    out = io.StringIO()
    view = PlainView(out)

    def spam(name: str) -> None:
        for i in range(300):
            view.line(name, f"line {i} " + "x" * 50)

    threads = [threading.Thread(target=spam, args=(f"job{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    view.flush()  # as the runner's loop does before it waits
    lines = out.getvalue().splitlines()
    assert len(lines) == 1200
    assert all(line.startswith("[job") and line.endswith("x" * 50) for line in lines)


class _FlushLog(io.StringIO):
    """A stream that remembers what had been flushed each time, as a CI log would show it."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def flush(self) -> None:
        self.seen.append(self.getvalue())


class _Writes(io.StringIO):
    """A stream that keeps each piece it was handed, as separate write() calls to a pipe."""

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[str] = []

    def write(self, text: str) -> int:
        self.pieces.append(text)
        return super().write(text)


def test_plain_view_hands_the_stream_whole_lines_in_pieces_a_pipe_writes_at_once() -> None:
    out = _Writes()
    view = PlainView(out)
    for i in range(500):
        view.line("build", f"line {i} " + ("y" if i % 2 else "语") * (i % 97))  # bytes, not characters
    view.flush()
    assert 1 < len(out.pieces) < 100  # batched: not one write per line, and not one huge write
    assert all(p.endswith("\n") and len(p.encode()) <= PlainView.BATCH for p in out.pieces)
    assert out.getvalue().count("\n") == 500


def test_plain_view_lines_reach_the_stream_while_the_job_still_runs(
    workspace: Path, home: Path, store: Store
) -> None:
    out = _FlushLog()
    view = PlainView(out)
    p = pipeline(workspace, job("slow", "echo first line; sleep 0.6; echo second line"))
    result = run(p, store, home, view=view)
    assert result.jobs["slow"].status is JobStatus.SUCCESS
    # flushed while the job was sleeping: its first line is out, its second and its end are not yet
    early = [text for text in out.seen if "[slow] first line" in text and "second line" not in text]
    assert early, out.seen
    assert "[slow] ok" not in early[-1]
    # and nothing written is left unflushed when the run returns
    assert out.seen[-1] == out.getvalue()
    assert "[slow] second line" in out.getvalue()


def _blocks(text: str) -> list[str]:
    """The jobs in the order their lines appear, one entry per run of consecutive lines."""
    order: list[str] = []
    for line in text.splitlines():
        job_name = line[1 : line.index("]")]
        if not order or order[-1] != job_name:
            order.append(job_name)
    return order


def test_plain_view_writes_one_block_per_job_the_first_live_the_others_when_it_ends() -> None:
    out = io.StringIO()
    view = PlainView(out)
    view.job_started("a")
    view.job_started("b")
    view.job_started("c")
    for i in range(3):
        for name in "abc":
            view.line(name, f"{name} says {i}")
    view.job_finished(JobResult("c", JobStatus.FAILED, message="exit 1"))  # c ends first, while a is shown
    view.flush()
    assert out.getvalue() == "[a] started\n[a] a says 0\n[a] a says 1\n[a] a says 2\n"  # a is live
    view.job_finished(JobResult("a", JobStatus.SUCCESS))
    view.flush()
    # c's block, complete, then b's lines so far; b is now written live
    assert _blocks(out.getvalue()) == ["a", "c", "b"]
    assert out.getvalue().endswith(
        "[c] FAILED in 0.00s: exit 1\n[b] started\n[b] b says 0\n[b] b says 1\n[b] b says 2\n"
    )
    view.line("b", "b goes on")
    view.flush()
    assert out.getvalue().endswith("[b] b goes on\n")


def test_plain_view_writes_lines_of_jobs_not_started_between_blocks_and_close_writes_the_rest() -> None:
    out = io.StringIO()
    view = PlainView(out)
    view.job_started("build")
    view.line("build", "compiling")
    view.line("deploy", "lego: waiting for approval: hucheng lego approve RUN 'deploy'")  # not started
    view.job_finished(JobResult("lint", JobStatus.SUCCESS, cache_hit=True))  # never started: one line
    view.job_started("test")
    view.line("test", "collected 3 items")
    view.line("build", "linking")
    view.job_finished(JobResult("build", JobStatus.SUCCESS))
    view.flush()
    assert _blocks(out.getvalue()) == ["build", "deploy", "lint", "test"]
    view.line("test", "1 passed")
    view.job_started("docs")
    view.line("docs", "held while test is shown")
    view.close()  # the run was cut short: test never ended; docs' lines must not be lost
    assert _blocks(out.getvalue()) == ["build", "deploy", "lint", "test", "docs"]
    assert out.getvalue().endswith("[test] 1 passed\n[docs] started\n[docs] held while test is shown\n")


def test_plain_view_holds_a_big_block_in_a_temporary_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from lego.run import views

    monkeypatch.setattr(views._Held, "LIMIT", 1000)
    out = io.StringIO()
    view = PlainView(out)
    view.job_started("a")
    view.job_started("big")
    lines = [f"line {i} " + "é" * 40 for i in range(200)]  # ~10 KB held while a is shown
    for text in lines:
        view.line("big", text)
    assert view._held["big"].spill is not None and view._held["big"].lines == []
    view.job_finished(JobResult("a", JobStatus.SUCCESS))
    view.job_finished(JobResult("big", JobStatus.SUCCESS))
    view.flush()
    written = out.getvalue().splitlines()
    assert written[3:-1] == [f"[big] {text}" for text in lines]
    assert "big" not in view._held


def test_blocks_fold_in_github_actions_with_each_job_s_result_outside_its_fold() -> None:
    out = io.StringIO()
    view = PlainView(out, marks=ci_marks({"GITHUB_ACTIONS": "true"}))
    view.job_started("build")
    view.job_started("test (os=a%b)")
    view.line("test (os=a%b)", "collected 3 items")
    view.line("build", "compiling")
    view.job_finished(JobResult("test (os=a%b)", JobStatus.FAILED, message="exit 1"))
    view.job_finished(JobResult("lint", JobStatus.SUCCESS, cache_hit=True))  # never started: no fold
    view.job_finished(JobResult("build", JobStatus.SUCCESS))
    view.job_started("docs")
    view.line("docs", "cut short")
    view.close()
    assert out.getvalue().splitlines() == [
        "::group::build",
        "[build] started",
        "[build] compiling",
        "::endgroup::",
        "[build] ok in 0.00s",
        "::group::test (os=a%25b)",
        "[test (os=a%b)] started",
        "[test (os=a%b)] collected 3 items",
        "::endgroup::",
        "[test (os=a%b)] FAILED in 0.00s: exit 1",
        "[lint] ok in 0.00s (cache hit)",
        "::group::docs",
        "[docs] started",
        "[docs] cut short",
        "::endgroup::",  # close() ends the fold of a job that never ended
    ]


def test_gitlab_sections_and_no_marks_elsewhere() -> None:
    marks = ci_marks({"GITLAB_CI": "true"})
    start, end = marks.start("build (os=x)"), marks.end("build (os=x)")
    name = start.split(":")[2].split("\r")[0]
    assert start.startswith("\x1b[0Ksection_start:") and start.endswith("\r\x1b[0Kbuild (os=x)\n")
    assert end.startswith("\x1b[0Ksection_end:") and f":{name}\r" in end
    assert (
        name.replace("_", "").isalnum() and name != marks.start("build (os=y)").split(":")[2].split("\r")[0]
    )
    plain = ci_marks({"CI": "true"})
    assert plain.start("a") == plain.end("a") == ""


def test_plain_view_in_lines_mode_writes_every_line_at_once() -> None:
    out = io.StringIO()
    view = PlainView(out, marks=ci_marks({"GITHUB_ACTIONS": "true"}), blocks=False)
    view.job_started("a")
    view.job_started("b")
    view.line("b", "b first")
    view.lines("a", ["a one", "a two"])
    view.job_finished(JobResult("b", JobStatus.SUCCESS))
    view.flush()
    assert out.getvalue().splitlines() == [  # no folds: a fold cannot hold interleaved lines
        "[a] started",
        "[b] started",
        "[b] b first",
        "[a] a one",
        "[a] a two",
        "[b] ok in 0.00s",
    ]


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_plain_view_tells_once_that_its_reader_went_away_and_writes_no_more() -> None:
    calls: list[str] = []
    view = PlainView(_ClosedPipe(), on_closed=lambda: calls.append("closed"))
    view.job_started("a")
    view.flush()
    view.line("a", "more")
    view.job_finished(JobResult("a", JobStatus.CANCELLED))
    view.flush()
    view.close()
    assert calls == ["closed"] and view.closed


class _HungUp(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(5, "Input/output error")  # what a terminal that hung up answers

    def isatty(self) -> bool:
        return True


def test_the_live_view_on_a_terminal_that_hung_up_stops_quietly_and_says_so_once() -> None:
    from rich.console import Console

    from hucheng.output.closedpipe import GuardedStream

    calls: list[str] = []
    guarded = GuardedStream(_HungUp(), lambda: calls.append("gone"))
    assert guarded.isatty() is True  # rich asks the wrapped stream
    console = Console(file=guarded, force_terminal=True)  # type: ignore[arg-type]
    with LiveView(console) as view:
        view.job_started("a")
        view.line("a", "still going")
        view.job_finished(JobResult("a", JobStatus.CANCELLED))  # prints: must not raise EIO
    assert calls == ["gone"] and guarded.gone


def test_parallel_jobs_come_out_as_blocks_in_a_run(workspace: Path, home: Path, store: Store) -> None:
    out = io.StringIO()
    view = PlainView(out)
    talk = "for i in 1 2 3 4 5; do echo {0} $i; sleep 0.05; done"
    p = pipeline(workspace, job("left", talk.format("left")), job("right", talk.format("right")))
    result = run(p, store, home, view=view, parallel=2)
    left, right = result.jobs["left"], result.jobs["right"]
    assert left.status is right.status is JobStatus.SUCCESS
    assert left.started < right.finished and right.started < left.finished  # they did run side by side
    text = out.getvalue()
    assert sorted(_blocks(text)) == ["left", "right"], text  # each job's lines together
    for name in ("left", "right"):
        mine = [line for line in text.splitlines() if line.startswith(f"[{name}]")]
        assert mine[0] == f"[{name}] started" and mine[-1].startswith(f"[{name}] ok in")
        assert [m for m in mine if f"] {name} " in m] == [f"[{name}] {name} {i}" for i in range(1, 6)]


def test_stored_logs_are_read_per_job_and_followed_while_the_run_goes_on(tmp_path: Path) -> None:
    rdir = RunDir(tmp_path / "run")
    (rdir.root / "logs").mkdir(parents=True)
    rdir.log_file("a").write_text("2026-01-01T00:00:00.000Z\tfirst\n")
    paths = log_paths(rdir, ["a", "b (x=1)"], None)
    assert [(line.job, line.time, line.text) for line in read_logs(paths)] == [
        ("a", "2026-01-01T00:00:00.000Z", "first")
    ]
    done = threading.Event()

    def writer() -> None:
        time.sleep(0.2)
        with rdir.log_file("b (x=1)").open("a") as fh:
            fh.write("2026-01-01T00:00:01.000Z\tlate ")
            fh.flush()
            time.sleep(0.2)
            fh.write("line\n")
        done.set()

    threading.Thread(target=writer).start()
    followed = [line.text for line in follow_logs(paths, lambda: not done.is_set(), interval=0.05)]
    assert followed == ["first", "late line"]
    assert [p[0] for p in log_paths(rdir, ["a", "b (x=1)"], "b")] == ["b (x=1)"]


def test_pipeline_json_round_trip(tmp_path: Path) -> None:
    p = pipeline(
        tmp_path,
        job(
            "build",
            "true",
            inputs=("src/**",),
            retry=Retry(max=2, when=("1", "timeout")),
            cache=(CacheSpec("k-${{ hashFiles('x') }}", ("deps",), ("k-",)),),
            matrix={"py": "3.12"},
            outputs={"v": "${{ steps.a.outputs.v }}"},
        ),
        env={"A": "1"},
        secrets=("TOKEN",),
    )
    assert pipeline_from_json(json.loads(json.dumps(pipeline_to_json(p)))) == p


def test_the_runners_definition_digest_equals_the_specs(tmp_path: Path) -> None:
    from lego.model import SourcePos, Step
    from lego.run.cache import definition_digest
    from lego.spec.digest import job_definition_digest

    brick_step = Step(
        id="s",
        name="n",
        run="echo",
        shell=("bash", "-c"),
        pos=SourcePos("b.yml", 3),
        brick="ruff@1.0.0",
        env={"X": "1"},
        if_="always()",
        timeout_seconds=3.0,
        uses_pos=SourcePos(".lego.yml", 7, 9),
    )
    p = pipeline(
        tmp_path,
        job("a", "true", inputs=("x",), cache=(CacheSpec("k", ("d",), ("k-",)),), retry=Retry(1, ("1",))),
        job("b", brick_step, matrix={"m": "1"}, needs=("a",), env={"E": "${{ matrix.m }}"}, manual=True),
        env={"G": "1"},
    )
    for j in p.jobs.values():
        assert definition_digest(j, p) == job_definition_digest(j, p)
    # where the uses: step is written is not what the job is: moving it keeps the cache key
    moved = replace(brick_step, uses_pos=SourcePos(".lego.yml", 30, 9))
    b = p.jobs["b"]
    assert definition_digest(replace(b, steps=(moved,)), p) == definition_digest(b, p)
    # and pipeline.json keeps it, for resume and retry
    assert pipeline_from_json(json.loads(json.dumps(pipeline_to_json(p)))) == p
