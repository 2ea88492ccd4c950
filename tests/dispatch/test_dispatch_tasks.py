from __future__ import annotations

import pytest

from hucheng.dispatch import WorkContext, WorkStatus, resolve_task
from hucheng.dispatch.tasks import run_attempt
from hucheng.errors import DispatchError


def test_resolve_task_finds_a_function() -> None:
    fn = resolve_task("dispatch_sample_tasks:add")
    assert fn(WorkContext("k"), a=2, b=3) == 5


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("no_such_module_here:fn", "task 'no_such_module_here:fn': cannot import module"),
        ("dispatch_sample_tasks:missing", "has no attribute 'missing'"),
        ("dispatch_sample_tasks:TIMEOUT", "is not callable"),
        ("not a name", "not of the form"),
    ],
)
def test_resolution_errors_name_the_task(name: str, match: str) -> None:
    with pytest.raises(DispatchError, match=match):
        resolve_task(name)


def test_run_attempt_turns_an_exception_into_one_line() -> None:
    outcome = run_attempt("dispatch_sample_tasks:boom", WorkContext("k"), {"message": "bad\nsecond line"})
    assert outcome.status is WorkStatus.FAILED
    assert outcome.error == "task 'dispatch_sample_tasks:boom' raised ValueError: bad"


def test_run_attempt_rejects_a_non_json_result() -> None:
    outcome = run_attempt("dispatch_sample_tasks:not_json", WorkContext("k"), {})
    assert outcome.status is WorkStatus.FAILED
    assert "not JSON-able" in outcome.error


def test_a_context_without_an_executor_reports_nothing_and_is_not_cancelled() -> None:
    ctx = WorkContext("k")
    ctx.progress(1, 2, "half")
    assert not ctx.cancelled()
    assert ctx.attempt == 1
