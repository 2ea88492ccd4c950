"""The executor end to end on real processes and a real SQLite store, with pipelines built directly."""

from __future__ import annotations

import io
import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from lego_run_helpers import job, pipeline, run, step

from hucheng.store import Query, Store
from lego.errors import RunStateError
from lego.model import Retry
from lego.run.engine import approve
from lego.run.state import JobStatus, RunResult, RunStatus
from lego.run.views import PlainView


def test_needs_outputs_env_and_conditions(workspace: Path, store: Store, home: Path) -> None:
    p = pipeline(
        workspace,
        job(
            "build",
            'echo "version=1.2.3" >> "$LEGO_OUTPUT"; echo "notes<<EOF" >> "$LEGO_OUTPUT"; '
            'echo "a b" >> "$LEGO_OUTPUT"; echo EOF >> "$LEGO_OUTPUT"; echo "STAGE=two" >> "$LEGO_ENV"',
            'echo "stage=$STAGE" >> "$LEGO_OUTPUT"',
        ),
        job("use", 'test "${{ needs.build.outputs.version }}" = 1.2.3', needs=("build",)),
        job("never", "true", needs=("build",), if_="needs.build.result == 'failure'"),
    )
    result = run(p, store, home)
    assert result.status is RunStatus.SUCCESS
    assert result.jobs["build"].outputs == {"version": "1.2.3", "notes": "a b", "stage": "two"}
    assert result.jobs["use"].status is JobStatus.SUCCESS
    assert result.jobs["never"].status is JobStatus.SKIPPED


def test_failure_skips_dependents_but_always_runs_and_continue_on_error(
    workspace: Path, store: Store, home: Path
) -> None:
    p = pipeline(
        workspace,
        job("flaky", "exit 3", continue_on_error=True),
        job("bad", "echo before; exit 7"),
        job("after", "true", needs=("bad",)),
        job("cleanup", "true", needs=("bad",), if_="always()"),
        job("on-failure", "true", needs=("bad",), if_="failure()"),
    )
    result = run(p, store, home)
    assert result.status is RunStatus.FAILED
    jobs = result.jobs
    assert (jobs["flaky"].status, jobs["flaky"].outcome) == (JobStatus.SUCCESS, "failure")
    assert jobs["bad"].status is JobStatus.FAILED and jobs["bad"].exit_code == 7
    assert jobs["after"].status is JobStatus.SKIPPED
    assert jobs["cleanup"].status is JobStatus.SUCCESS
    assert jobs["on-failure"].status is JobStatus.SUCCESS


def test_step_conditions_and_step_continue_on_error(workspace: Path, store: Store, home: Path) -> None:
    p = pipeline(
        workspace,
        job(
            "j",
            step("exit 1", 1, continue_on_error=True),
            step("false", 2),
            step("echo skipped > skipped.txt", 3),
            step("echo ran > cleanup.txt", 4, if_="always()"),
        ),
    )
    result = run(p, store, home)
    steps = [s.status.value for s in result.jobs["j"].steps]
    assert steps == ["failed", "failed", "skipped", "success"]
    assert result.jobs["j"].steps[0].continued_on_error
    assert not (workspace / "skipped.txt").exists() and (workspace / "cleanup.txt").exists()


def test_retry_on_matching_exit_code(workspace: Path, store: Store, home: Path) -> None:
    script = 'n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; [ "$n" -ge 3 ]'
    p = pipeline(
        workspace,
        job("flaky", script, retry=Retry(max=3, when=("1",))),
        job("other-code", "exit 5", retry=Retry(max=3, when=("1",))),
    )
    result = run(p, store, home)
    assert result.jobs["flaky"].status is JobStatus.SUCCESS and result.jobs["flaky"].attempts == 3
    assert result.jobs["other-code"].attempts == 1


def test_job_timeout_fails_the_job_and_retry_when_timeout(workspace: Path, store: Store, home: Path) -> None:
    p = pipeline(
        workspace, job("slow", "sleep 30", timeout_seconds=0.3, retry=Retry(max=1, when=("timeout",)))
    )
    out = io.StringIO()
    result = run(p, store, home, view=PlainView(out))
    slow = result.jobs["slow"]
    assert slow.status is JobStatus.FAILED and slow.timed_out and slow.attempts == 2
    assert "timed out" in slow.message
    # which limit stopped it, as written (not the seconds that happened to be left)
    assert "[slow] lego: step sleep 30 timed out (the job's timeout of 0.3s)" in out.getvalue()


def test_a_step_timeout_is_named_as_the_steps_own(workspace: Path, store: Store, home: Path) -> None:
    p = pipeline(workspace, job("slow", step("sleep 30", 1, timeout_seconds=0.2), timeout_seconds=60))
    out = io.StringIO()
    result = run(p, store, home, view=PlainView(out))
    assert result.jobs["slow"].timed_out
    assert "[slow] lego: step sleep 30 timed out (its timeout of 0.2s)" in out.getvalue()


def test_matrix_fail_fast_cancels_siblings_and_max_parallel(
    workspace: Path, store: Store, home: Path
) -> None:
    def inst(v: str, script: str, **kw: object) -> object:
        return job(f"m (v={v})", script, base="m", matrix={"v": v}, **kw)

    p = pipeline(workspace, inst("1", "sleep 0.2; exit 1"), inst("2", "sleep 20"), inst("3", "sleep 20"))
    result = run(p, store, home, parallel=3)
    statuses = {k: v.status for k, v in result.jobs.items()}
    assert statuses == {"m (v=1)": "failed", "m (v=2)": "cancelled", "m (v=3)": "cancelled"}
    assert result.duration_seconds < 15

    marker = workspace / "concurrent.log"
    script = f"echo start >> {marker}; sleep 0.2; echo end >> {marker}"
    p2 = pipeline(workspace, *(inst(str(i), script, max_parallel=1, fail_fast=False) for i in range(3)))
    run(p2, store, home, parallel=3)
    assert marker.read_text().split() == ["start", "end"] * 3  # never two at once


def test_secrets_are_masked_in_logs_outputs_and_records(workspace: Path, store: Store, home: Path) -> None:
    secret = "pa55-w0rd-value"
    p = pipeline(
        workspace,
        job(
            "leak",
            'printf "%s" "${TOKEN:0:5}"; printf "%s\\n" "${TOKEN:5}"; echo "out=$TOKEN" >> "$LEGO_OUTPUT"',
        ),
        secrets=("TOKEN",),
    )
    result = run(p, store, home, {"PATH": os.environ["PATH"], "TOKEN": secret})
    log_text = (Path(result.run_dir) / "logs" / "leak.log").read_text()
    assert "***" in log_text and secret not in log_text
    records = list(store.query(Query(kinds=("lego_job",))))
    assert records and secret not in json.dumps([dict(r.data) for r in records])
    assert records[0].data["outputs"] == {"out": "***"}
    assert records[0].data["log"] == str(Path(result.run_dir) / "logs" / "leak.log")
    assert result.jobs["leak"].outputs == {"out": "***"}  # as GitHub: later jobs get it masked too
    assert secret not in (Path(result.run_dir) / "journal.jsonl").read_text()


def test_a_secret_read_but_not_declared_is_warned_about(
    workspace: Path, store: Store, home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # ${{ secrets.TOKEN }} without `secrets: [TOKEN]` reads as empty, as in GitHub Actions: say so
    p = pipeline(
        workspace,
        job("deploy", 'echo "[${{ secrets.TOKEN }}] [${{ secrets.KEY }}]"'),
        job("other", "true", env={"X": "${{ secrets.TOKEN }}"}),
        secrets=("KEY",),
    )
    result = run(p, store, home, {"PATH": os.environ["PATH"], "TOKEN": "t0ken-value", "KEY": "k3y-value"})
    assert result.status is RunStatus.SUCCESS
    warned = [r.getMessage() for r in caplog.records if "is not a secret of this run" in r.getMessage()]
    assert warned == [
        "secrets.TOKEN (read by deploy, other) is not a secret of this run and reads as empty; "
        "list it under secrets: or pass --secret TOKEN"
    ]
    assert "[] [***]" in (Path(result.run_dir) / "logs" / "deploy.log").read_text()


def test_content_hash_cache_skips_and_restores_outputs_and_artifacts(
    workspace: Path, store: Store, home: Path
) -> None:
    (workspace / "src").mkdir()
    (workspace / "src" / "a.py").write_text("print(1)\n")
    build = job(
        "build",
        'mkdir -p dist; echo wheel > dist/pkg.whl; echo "n=$(date +%s%N)" >> "$LEGO_OUTPUT"; '
        "echo ran >> runs.txt",
        inputs=("src/**",),
        artifacts=("dist/*",),
    )
    use = job("use", 'cat "$LEGO_ARTIFACTS/build/dist/pkg.whl"', needs=("build",))
    p = pipeline(workspace, build, use)
    first = run(p, store, home)
    assert first.status is RunStatus.SUCCESS and not first.jobs["build"].cache_hit
    (workspace / "dist" / "pkg.whl").unlink()
    second = run(p, store, home)
    assert second.jobs["build"].cache_hit
    assert second.jobs["build"].outputs == first.jobs["build"].outputs
    assert (Path(second.run_dir) / "artifacts" / "build" / "dist" / "pkg.whl").read_text() == "wheel\n"
    assert (workspace / "dist" / "pkg.whl").exists()  # restored into the workspace too
    assert (workspace / "runs.txt").read_text() == "ran\n"
    (workspace / "src" / "a.py").write_text("print(2)\n")
    third = run(p, store, home)
    assert not third.jobs["build"].cache_hit
    fourth = run(p, store, home, use_cache=False)
    assert not fourth.jobs["build"].cache_hit
    assert (workspace / "runs.txt").read_text().count("ran") == 3


def test_cache_env_values_enter_the_key(workspace: Path, store: Store, home: Path) -> None:
    p = pipeline(workspace, job("j", "true", inputs=("nothing/*",), cache_env=("MODE",)))
    env = {"PATH": os.environ["PATH"], "MODE": "a"}
    assert not run(p, store, home, env).jobs["j"].cache_hit
    assert run(p, store, home, env).jobs["j"].cache_hit
    assert not run(p, store, home, {**env, "MODE": "b"}).jobs["j"].cache_hit


def test_manual_job_waits_for_approval_from_the_store(workspace: Path, store: Store, home: Path) -> None:
    p = pipeline(
        workspace, job("build", "true"), job("deploy", "echo deployed", needs=("build",), manual=True)
    )
    holder: dict[str, object] = {}

    def approve_when_waiting() -> None:
        from hucheng.store import open_store

        with open_store(f"sqlite:///{home / 'hucheng.db'}") as other:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                waiting = list(other.query(Query(kinds=("lego_job",), labels={"job": "deploy"})))
                if waiting and waiting[0].data["status"] == "waiting":
                    run_id = str(waiting[0].data["run_id"])
                    try:  # a finished job that is not manual: nothing waits for it
                        approve(other, run_id, "build", by="tester", home=home)
                    except RunStateError as exc:
                        holder["refused"] = str(exc)
                    approve(other, run_id, "deploy", by="tester", home=home)
                    holder["approved"] = True
                    return
                time.sleep(0.05)

    t = threading.Thread(target=approve_when_waiting, daemon=True)
    t.start()
    result = run(p, store, home)
    t.join(5)
    assert holder.get("approved") is True
    assert "job 'build'" in str(holder.get("refused")) and "not waiting for approval" in str(
        holder["refused"]
    )
    assert result.jobs["deploy"].status is JobStatus.SUCCESS


def test_would_skip_agrees_with_the_run(workspace: Path, store: Store, home: Path) -> None:
    from lego.run.cache import plan_cache

    (workspace / "in.txt").write_text("1")
    p = pipeline(
        workspace,
        job("a", "true", inputs=("in.txt",)),
        job("b", "true", inputs=("in.txt",), needs=("a",)),
        job("c", "true", needs=("a",)),
    )
    env = {"PATH": os.environ["PATH"]}
    before = plan_cache(p, home=home, environ=env)
    assert [before[j].skip for j in "abc"] == [False, False, False]
    assert "not cacheable" in before["c"].reason
    run(p, store, home, env)
    after = plan_cache(p, home=home, environ=env)
    assert [after[j].skip for j in "abc"] == [True, True, False]
    second = run(p, store, home, env)
    assert [second.jobs[j].cache_hit for j in "abc"] == [True, True, False]
    assert after["b"].key == second.jobs["b"].cache_key


def test_hucheng_run_cycle_runs_the_configured_pipeline(workspace: Path, home: Path) -> None:
    from hucheng.config import load_config
    from hucheng.metrics import new_registry
    from hucheng.store import open_store
    from lego.cycle import run_cycle

    (workspace / "p.yml").write_text(
        "jobs:\n  a:\n    steps: [{run: 'true'}]\n  b:\n    steps: [{run: 'exit 3'}]\n"
    )
    cfg = workspace / "h.yaml"
    cfg.write_text(f"home: {home}\nlego:\n  pipeline: {workspace / 'p.yml'}\n")
    settings = load_config(cfg, environ={}).settings
    with open_store(settings.store_url) as store:
        outcome = run_cycle(settings, store, new_registry())
        assert outcome.status == "findings" and "failed (1 failed, 1 success)" in outcome.detail
        assert store.count(Query(kinds=("lego_job",))) == 2
    cfg.write_text(f"home: {home}\n")
    with open_store(settings.store_url) as store:
        none = run_cycle(load_config(cfg, environ={}).settings, store, new_registry())
    assert none.status == "ok" and "no pipeline configured" in none.detail


def test_a_step_printing_many_lines_keeps_every_one_in_order(
    workspace: Path, store: Store, home: Path
) -> None:
    # the lines of one read go to the log and the view together (one stamp, one write)
    out = io.StringIO()
    result = run(
        pipeline(workspace, job("chatty", "seq 1 50000; echo last >&2")), store, home, view=PlainView(out)
    )
    assert result.status is RunStatus.SUCCESS
    stored = (Path(result.run_dir) / "logs" / "chatty.log").read_text(encoding="utf-8").splitlines()
    texts = [line.split("\t", 1)[1] for line in stored]
    assert texts[1:-1] == [str(i) for i in range(1, 50001)] + ["last"]  # "lego: step ...", "lego: success"
    assert all(len(line.split("\t", 1)[0]) == len("2026-01-01T00:00:00.000Z") for line in stored)
    shown = [line for line in out.getvalue().splitlines() if not line.startswith("[chatty] lego:")]
    assert shown[1:-1] == [f"[chatty] {i}" for i in range(1, 50001)] + ["[chatty] last"]


def test_binary_garbage_and_a_10mb_line_from_a_real_step(workspace: Path, store: Store, home: Path) -> None:
    from lego.run.lines import MAX_LINE_CHARS

    script = "head -c 10485760 /dev/zero | tr '\\0' a; echo; head -c 200000 /dev/urandom; echo; echo done"
    result = run(pipeline(workspace, job("noisy", script)), store, home)
    assert result.status is RunStatus.SUCCESS
    lines = (Path(result.run_dir) / "logs" / "noisy.log").read_text(encoding="utf-8").splitlines()
    texts = [line.split("\t", 1)[1] for line in lines]
    assert "done" in texts
    assert all(len(t) <= MAX_LINE_CHARS + len("lego: ") for t in texts)
    assert sum(t.count("a") for t in texts if set(t) == {"a"}) == 10485760


def _run_in_thread(p: object, home: Path, out: dict[str, object], name: str) -> threading.Thread:
    from hucheng.store import open_store

    def go() -> None:
        with open_store(f"sqlite:///{home / 'hucheng.db'}") as own:
            out[name] = run(p, own, home)  # type: ignore[arg-type]

    t = threading.Thread(target=go)
    t.start()
    return t


def test_concurrency_group_across_runs_waits_or_cancels_in_progress(workspace: Path, home: Path) -> None:
    log = workspace / "order.log"
    first = pipeline(
        workspace,
        job(
            "deploy",
            f"echo first-start >> {log}; sleep 30; echo first-end >> {log}",
            concurrency_group="prod",
        ),
    )
    waiting = pipeline(workspace, job("deploy", f"echo second >> {log}", concurrency_group="prod"))
    taking_over = pipeline(
        workspace,
        job("deploy", f"echo third >> {log}", concurrency_group="prod", cancel_in_progress=True),
    )
    out: dict[str, object] = {}
    t1 = _run_in_thread(first, home, out, "first")
    deadline = time.monotonic() + 20
    while not (log.exists() and "first-start" in log.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    t2 = _run_in_thread(waiting, home, out, "second")
    time.sleep(1.0)
    assert log.read_text().split() == ["first-start"]  # the second run waits for the group
    t3 = _run_in_thread(taking_over, home, out, "third")
    for t in (t1, t2, t3):
        t.join(60)
    results = {k: v.jobs["deploy"].status for k, v in out.items()}  # type: ignore[attr-defined]
    assert results["first"] is JobStatus.CANCELLED  # taken over by cancel-in-progress
    assert results["second"] is JobStatus.SUCCESS and results["third"] is JobStatus.SUCCESS
    # the run whose deploy was taken over did not deploy: it ends cancelled (exit 130), not success
    assert out["first"].status is RunStatus.CANCELLED  # type: ignore[attr-defined]
    lines = log.read_text().split()
    assert lines[0] == "first-start" and "first-end" not in lines and sorted(lines[1:]) == ["second", "third"]


def test_cancel_and_resume_of_a_run_whose_runner_is_gone(store: Store, home: Path) -> None:
    import socket
    import subprocess
    from datetime import UTC, datetime

    import pytest

    from hucheng.store import Record
    from lego.errors import RunNotFoundError, RunStateError
    from lego.run.engine import RunOptions, cancel, resume

    dead = subprocess.Popen(["true"])
    dead.wait()
    data = {
        "run_id": "r1",
        "pipeline": "/x/.lego.yml",
        "status": "running",
        "started": "2026-01-01T00:00:00Z",
        "pid": dead.pid,
        "pid_started": 12345.0,
        "host": socket.gethostname(),
        "seq": 1,
    }
    store.put([Record("lego_run", datetime.now(UTC), {"run": "r1"}, data, id="lego:r1:run:1")])
    with pytest.raises(RunStateError, match="is gone; `hucheng lego resume r1` continues it"):
        cancel(store, "r1")
    with pytest.raises(RunStateError, match=r"pipeline\.json is missing"):
        resume("r1", store=store, home=home, options=RunOptions())
    with pytest.raises(RunNotFoundError):
        cancel(store, "nope")


BrickRun = Callable[[str, str, str], RunResult]


@pytest.fixture
def brick_run(workspace: Path, store: Store, home: Path) -> BrickRun:
    """Run a pipeline (the text of .lego.yml) with one brick, ``bricks/<name>.yml`` holding ``text``."""
    from lego.spec import load_pipeline

    def _run(name: str, text: str, pipeline: str) -> RunResult:
        bricks = workspace / "bricks"
        bricks.mkdir()
        (bricks / f"{name}.yml").write_text(text)
        (workspace / ".lego.yml").write_text(pipeline)
        return run(load_pipeline(workspace / ".lego.yml", brick_dirs=[bricks]), store, home)

    return _run


def test_a_brick_output_its_steps_never_wrote_is_a_warning_in_the_log(brick_run: BrickRun) -> None:
    result = brick_run(
        "ver",
        "name: ver\nversion: 1.0.0\noutputs:\n  version: {}\n  sha: {}\n"
        'steps:\n  - id: v\n    run: echo "version=${{ inputs.v }}" >> "$LEGO_OUTPUT"\n'
        "inputs:\n  v: {default: '1.0'}\n",
        "jobs:\n  a:\n    steps:\n      - id: get\n        uses: ver\n"
        '      - run: test "${{ steps.get.outputs.version }}" = 1.0\n',
    )
    assert result.status is RunStatus.SUCCESS  # a warning, not a failure
    log = (Path(result.run_dir) / "logs" / "a.log").read_text()
    assert "warning: brick ver@1.0.0 (step get) declares output(s) sha that its steps did not write" in log
    assert "version" not in log.split("declares output(s)")[1].split("that")[0]  # written: not named


def test_a_failed_brick_step_names_the_uses_line_of_the_pipeline(
    brick_run: BrickRun, workspace: Path
) -> None:
    result = brick_run(
        "fails",
        "name: fails\nversion: 2.0.0\nsteps:\n  - run: echo preparing\n"
        "  - name: the check\n    run: exit 4\n",
        "jobs:\n  a:\n    steps:\n      - run: echo first\n      - id: check\n        uses: fails\n",
    )
    message = result.jobs["a"].message
    # the pipeline's own line (the step's "- id:" at line 5), then where in the brick
    assert f"({workspace / '.lego.yml'}:5:9, brick fails@2.0.0 line 5) exited with 4" in message
    assert str(workspace / "bricks" / "fails.yml") not in message


def test_how_a_step_ended_is_said_in_words(workspace: Path, store: Store, home: Path) -> None:
    """A signal by name, a start failure by its reason (not "exited with None"), and a failure let
    through by continue-on-error still gets a line in the job's log."""
    p = pipeline(
        workspace,
        job("killed", "kill -9 $$"),
        job("nowhere", "pwd", working_directory="no/such/dir"),
        job("tolerated", step("kill -TERM $$", 1, continue_on_error=True), step("echo after", 2)),
    )
    result = run(p, store, home)
    jobs = result.jobs
    assert jobs["killed"].message == "step 'kill -9 $$' (.lego.yml:1:1) was killed by SIGKILL"
    assert jobs["nowhere"].message.startswith("step 'pwd' (.lego.yml:1:1) cannot start 'bash' in ")
    assert jobs["nowhere"].message.endswith("no/such/dir: No such file or directory")
    assert jobs["tolerated"].status is JobStatus.SUCCESS
    log = (Path(result.run_dir) / "logs" / "tolerated.log").read_text()
    assert "lego: step kill -TERM $$ was killed by SIGTERM; continuing (continue-on-error)" in log
