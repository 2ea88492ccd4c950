"""LocalExecutor with ``cpu`` work: real worker processes (pebble, spawn)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from dispatch_helpers import PATIENCE, Progress, T, wait_for_path

from hucheng.dispatch import LocalExecutor, ProgressEvent, WorkKind, WorkSpec, WorkStatus

CPU = WorkKind.CPU


def test_cpu_work_runs_in_another_process(executor: LocalExecutor) -> None:
    result = executor.submit(WorkSpec(T + "sum_squares", {"n": 1000}, kind=CPU)).result(PATIENCE)
    assert result.status is WorkStatus.SUCCEEDED
    assert result.value["sum"] == sum(i * i for i in range(1000))
    assert result.value["pid"] != os.getpid()
    assert result.attempts == 1 and result.started is not None


def test_unknown_task_and_raising_task_in_a_process(executor: LocalExecutor) -> None:
    unknown = executor.submit(WorkSpec("no_such_pkg.jobs:run", kind=CPU))
    raising = executor.submit(WorkSpec(T + "boom", {"message": "bad input\nline 2"}, kind=CPU))
    assert "cannot import module 'no_such_pkg.jobs'" in unknown.result(PATIENCE).error
    assert raising.result(PATIENCE).error == f"task '{T}boom' raised ValueError: bad input"


def test_timeout_kills_the_worker_and_the_others_complete(executor: LocalExecutor) -> None:
    stuck = executor.submit(WorkSpec(T + "sleep_forever", kind=CPU, timeout=0.5))
    others = [executor.submit(WorkSpec(T + "sum_squares", {"n": n}, kind=CPU)) for n in range(5)]
    result = stuck.result(PATIENCE)
    assert result.status is WorkStatus.TIMED_OUT
    assert "timed out after 0.5s; its worker process was killed" in result.error
    assert [h.result(PATIENCE).status for h in others] == [WorkStatus.SUCCEEDED] * 5


@pytest.mark.parametrize(
    ("how", "cause"), [("exit", "died: exited with code 1"), ("kill", "died: killed by signal SIGKILL")]
)
def test_a_dying_worker_fails_only_its_unit(executor: LocalExecutor, how: str, cause: str) -> None:
    dying = executor.submit(WorkSpec(T + "die", {"how": how}, kind=CPU))
    others = [executor.submit(WorkSpec(T + "add", {"a": n, "b": 1}, kind=CPU)) for n in range(4)]
    result = dying.result(PATIENCE)
    assert result.status is WorkStatus.FAILED
    assert f"running task '{T}die'" in result.error
    assert cause in result.error
    assert [h.result(PATIENCE).value for h in others] == [1, 2, 3, 4]
    # the pool replaced the worker: new work still runs
    assert executor.submit(WorkSpec(T + "add", {"a": 10, "b": 1}, kind=CPU)).result(PATIENCE).value == 11


def test_a_dead_worker_gives_its_job_back_for_a_retry(executor: LocalExecutor, tmp_path: Path) -> None:
    spec = WorkSpec(T + "die_once", {"marker": str(tmp_path / "tried")}, kind=CPU, retries=1)
    result = executor.submit(spec).result(PATIENCE)
    assert result.status is WorkStatus.SUCCEEDED
    assert result.value == "survived"
    assert result.attempts == 2


def test_retry_after_a_process_timeout(executor: LocalExecutor, tmp_path: Path) -> None:
    spec = WorkSpec(T + "sleep_once", {"marker": str(tmp_path / "tried")}, kind=CPU, timeout=0.5, retries=2)
    result = executor.submit(spec).result(PATIENCE)
    assert result.status is WorkStatus.SUCCEEDED
    assert result.attempts == 2


def test_retry_after_a_failure_in_a_process(executor: LocalExecutor, tmp_path: Path) -> None:
    spec = WorkSpec(T + "fail_once", {"marker": str(tmp_path / "tried")}, kind=CPU, retries=3)
    result = executor.submit(spec).result(PATIENCE)
    assert (result.status, result.value, result.attempts) == (WorkStatus.SUCCEEDED, "ok on attempt 2", 2)


def test_progress_crosses_the_process_boundary_in_order(executor: LocalExecutor) -> None:
    progress = Progress()
    handle = executor.submit(WorkSpec(T + "report_progress", {"steps": 50}, kind=CPU), on_progress=progress)
    assert handle.result(PATIENCE).value == 50
    # every event is delivered before the result
    assert progress.events == [ProgressEvent(handle.key, i, 50, f"step {i}") for i in range(1, 51)]


def test_cancel_a_running_process_unit_cooperatively(tmp_path: Path) -> None:
    marker = tmp_path / "saw-cancel"
    progress = Progress()
    with LocalExecutor(max_processes=1, cancel_grace=PATIENCE) as executor:
        handle = executor.submit(
            WorkSpec(T + "until_cancelled", {"marker": str(marker)}, kind=CPU), on_progress=progress
        )
        progress.wait_first()
        assert handle.cancel() is True
        assert handle.result(PATIENCE).status is WorkStatus.CANCELLED
        wait_for_path(marker)  # the flag crossed into the worker process
        assert executor.submit(WorkSpec(T + "add", {"a": 1, "b": 1}, kind=CPU)).result(PATIENCE).value == 2


def test_cancel_kills_a_process_unit_that_ignores_the_flag() -> None:
    with LocalExecutor(max_processes=1, cancel_grace=0) as executor:
        stuck = executor.submit(WorkSpec(T + "sleep_forever", kind=CPU))
        after = executor.submit(WorkSpec(T + "add", {"a": 2, "b": 2}, kind=CPU))
        assert stuck.cancel() is True
        assert stuck.result(PATIENCE).status is WorkStatus.CANCELLED
        assert after.result(PATIENCE).value == 4  # the only worker was freed


def test_cancel_a_pending_process_unit(tmp_path: Path) -> None:
    gate = tmp_path / "gate"
    calls = tmp_path / "calls"
    with LocalExecutor(max_processes=1) as executor:
        blocker = executor.submit(WorkSpec(T + "wait_for_file", {"path": str(gate)}, kind=CPU))
        pending = executor.submit(WorkSpec(T + "record_call", {"path": str(calls), "value": 1}, kind=CPU))
        assert pending.cancel() is True
        gate.touch()
        assert blocker.result(PATIENCE).ok
        assert pending.result(PATIENCE).status is WorkStatus.CANCELLED
    assert not calls.exists()


def test_idempotent_submit_of_cpu_work(executor: LocalExecutor, tmp_path: Path) -> None:
    calls = tmp_path / "calls"
    specs = [WorkSpec(T + "record_call", {"path": str(calls), "value": 9}, kind=CPU) for _ in range(3)]
    handles = {id(executor.submit(spec)) for spec in specs}
    assert len(handles) == 1
    assert executor.submit(specs[0]).result(PATIENCE).value == 9
    assert len(calls.read_text(encoding="utf-8").splitlines()) == 1


def test_map_yields_every_result_of_mixed_work(executor: LocalExecutor) -> None:
    specs = [WorkSpec(T + "add", {"a": n, "b": 100}, kind=CPU if n % 2 else WorkKind.IO) for n in range(10)]
    specs.append(specs[0])  # a duplicate key runs and yields once
    specs.append(WorkSpec(T + "boom", {"message": "x"}, kind=CPU))
    progress = Progress()
    results = list(executor.map(specs, on_progress=progress))
    assert sorted(r.value for r in results if r.ok) == [n + 100 for n in range(10)]
    assert [r.status for r in results if not r.ok] == [WorkStatus.FAILED]
    assert len(results) == 11
