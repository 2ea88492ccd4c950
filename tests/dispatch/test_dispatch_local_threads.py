"""LocalExecutor with ``io`` work: real threads."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from dispatch_helpers import PATIENCE, Progress, T, wait_for_path

from hucheng.dispatch import LocalExecutor, ProgressEvent, WorkSpec, WorkStatus
from hucheng.errors import DispatchError, WorkTimeout


def test_io_work_returns_its_value(executor: LocalExecutor) -> None:
    result = executor.submit(WorkSpec(T + "add", {"a": 2, "b": 40})).result(PATIENCE)
    assert result.status is WorkStatus.SUCCEEDED
    assert result.value == 42
    assert result.error == ""
    assert result.attempts == 1
    assert result.started is not None and result.finished is not None
    assert result.finished >= result.started
    assert result.duration >= 0


def test_unknown_task_is_a_failed_result(executor: LocalExecutor) -> None:
    result = executor.submit(WorkSpec("no_such_pkg.jobs:run")).result(PATIENCE)
    assert result.status is WorkStatus.FAILED
    assert "task 'no_such_pkg.jobs:run': cannot import module 'no_such_pkg.jobs'" in result.error


def test_raising_task_is_a_failed_result_with_one_line(executor: LocalExecutor) -> None:
    result = executor.submit(WorkSpec(T + "boom", {"message": "disk full\nmore detail"})).result(PATIENCE)
    assert result.status is WorkStatus.FAILED
    assert result.error == f"task '{T}boom' raised ValueError: disk full"
    with pytest.raises(DispatchError, match="disk full"):
        result.unwrap()


def test_thread_timeout_marks_timed_out_and_asks_the_task_to_stop(
    executor: LocalExecutor, tmp_path: Path
) -> None:
    marker = tmp_path / "saw-cancel"
    spec = WorkSpec(T + "until_cancelled", {"marker": str(marker)}, timeout=0.2)
    result = executor.submit(spec).result(PATIENCE)
    assert result.status is WorkStatus.TIMED_OUT
    assert "timed out after 0.2s" in result.error
    wait_for_path(marker)  # the cooperative task saw ctx.cancelled()


def test_cancel_a_pending_unit(tmp_path: Path) -> None:
    gate = tmp_path / "gate"
    with LocalExecutor(max_workers=1) as executor:
        blocker = executor.submit(WorkSpec(T + "wait_for_file", {"path": str(gate)}))
        pending = executor.submit(WorkSpec(T + "add", {"a": 1, "b": 1}))
        assert pending.cancel() is True
        result = pending.result(PATIENCE)
        assert result.status is WorkStatus.CANCELLED
        assert result.started is None and result.attempts == 0
        assert "cancelled before it started" in result.error
        assert pending.cancel() is False  # already finished
        gate.touch()
        assert blocker.result(PATIENCE).value == "gate opened"


def test_cancel_a_running_unit_sets_its_flag(executor: LocalExecutor, tmp_path: Path) -> None:
    marker = tmp_path / "saw-cancel"
    progress = Progress()
    handle = executor.submit(WorkSpec(T + "until_cancelled", {"marker": str(marker)}), on_progress=progress)
    progress.wait_first()  # it is running
    assert handle.cancel() is True
    assert handle.result(PATIENCE).status is WorkStatus.CANCELLED
    wait_for_path(marker)


def test_result_wait_can_time_out(tmp_path: Path) -> None:
    with LocalExecutor(max_workers=1) as executor:
        handle = executor.submit(WorkSpec(T + "wait_for_file", {"path": str(tmp_path / "gate")}))
        with pytest.raises(WorkTimeout, match="not finished after"):
            handle.result(timeout=0.01)
        assert not handle.done()
        (tmp_path / "gate").touch()
        assert handle.result(PATIENCE).ok


def test_same_key_returns_the_same_handle_and_runs_once(executor: LocalExecutor, tmp_path: Path) -> None:
    calls = tmp_path / "calls"
    spec = WorkSpec(T + "record_call", {"path": str(calls), "value": 7})
    first = executor.submit(spec)
    second = executor.submit(WorkSpec(T + "record_call", {"path": str(calls), "value": 7}))
    assert second is first
    assert first.result(PATIENCE).value == 7
    third = executor.submit(spec)  # already finished: still the same handle
    assert third is first
    assert calls.read_text(encoding="utf-8").splitlines() == [spec.key]


def test_an_explicit_key_dedupes_different_args(executor: LocalExecutor, tmp_path: Path) -> None:
    calls = tmp_path / "calls"
    a = executor.submit(WorkSpec(T + "record_call", {"path": str(calls), "value": 1}, key="job-1"))
    b = executor.submit(WorkSpec(T + "record_call", {"path": str(calls), "value": 2}, key="job-1"))
    assert a is b
    assert b.result(PATIENCE).value == 1
    assert len(calls.read_text(encoding="utf-8").splitlines()) == 1


def test_progress_events_arrive_in_order_before_the_result(executor: LocalExecutor) -> None:
    progress = Progress()
    handle = executor.submit(WorkSpec(T + "report_progress", {"steps": 20}), on_progress=progress)
    assert handle.result(PATIENCE).value == 20
    assert progress.events == [ProgressEvent(handle.key, i, 20, f"step {i}") for i in range(1, 21)]


def test_a_failing_progress_callback_does_not_break_the_task(executor: LocalExecutor) -> None:
    def broken(event: ProgressEvent) -> None:
        raise RuntimeError("callback bug")

    result = executor.submit(WorkSpec(T + "report_progress", {"steps": 3}), on_progress=broken).result(
        PATIENCE
    )
    assert result.ok


def test_retry_after_a_failure(executor: LocalExecutor, tmp_path: Path) -> None:
    spec = WorkSpec(T + "fail_once", {"marker": str(tmp_path / "tried")}, retries=1)
    result = executor.submit(spec).result(PATIENCE)
    assert result.status is WorkStatus.SUCCEEDED
    assert result.value == "ok on attempt 2"
    assert result.attempts == 2


def test_no_retry_means_one_attempt(executor: LocalExecutor, tmp_path: Path) -> None:
    result = executor.submit(WorkSpec(T + "fail_once", {"marker": str(tmp_path / "tried")})).result(PATIENCE)
    assert result.status is WorkStatus.FAILED
    assert result.attempts == 1
    assert "first attempt fails" in result.error


def test_shutdown_waits_and_refuses_new_work(tmp_path: Path) -> None:
    executor = LocalExecutor(max_workers=2)
    handle = executor.submit(WorkSpec(T + "add", {"a": 1, "b": 2}))
    executor.shutdown()
    assert handle.done() and handle.result().value == 3
    with pytest.raises(DispatchError, match="shut down"):
        executor.submit(WorkSpec(T + "add", {"a": 5, "b": 5}))
    assert executor.submit(WorkSpec(T + "add", {"a": 1, "b": 2})) is handle  # known key: its handle
    executor.shutdown()  # twice is fine


def test_shutdown_can_cancel_pending_units(tmp_path: Path) -> None:
    gate = tmp_path / "gate"
    executor = LocalExecutor(max_workers=1)
    blocker = executor.submit(WorkSpec(T + "wait_for_file", {"path": str(gate)}))
    pending = [executor.submit(WorkSpec(T + "add", {"a": i, "b": 0})) for i in range(3)]
    stopper = threading.Thread(target=executor.shutdown, kwargs={"cancel_pending": True})
    stopper.start()
    # the blocker holds the only thread, so the others are still pending when shutdown cancels them
    assert [h.result(PATIENCE).status for h in pending] == [WorkStatus.CANCELLED] * 3
    gate.touch()
    stopper.join(PATIENCE)
    assert not stopper.is_alive()
    assert blocker.result().ok  # running work is not cancelled
