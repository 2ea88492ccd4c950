from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from hucheng.dispatch import SpecError, WorkKind, WorkResult, WorkSpec, WorkStatus
from hucheng.errors import DispatchError, WorkCancelled, WorkTimeout


def test_spec_round_trips_through_json() -> None:
    spec = WorkSpec(
        "pkg.mod:fn",
        {"path": "/tmp/x", "n": [1, 2], "opts": {"deep": True}},
        timeout=2.5,
        kind=WorkKind.CPU,
        retries=2,
        labels={"tool": "lego"},
    )
    wire = json.dumps(spec.to_dict())
    again = WorkSpec.from_dict(json.loads(wire))
    assert again == spec
    assert again.to_dict() == spec.to_dict()
    assert again.kind is WorkKind.CPU


def test_default_key_depends_on_task_and_args_only() -> None:
    a = WorkSpec("pkg.mod:fn", {"x": 1, "y": 2})
    b = WorkSpec("pkg.mod:fn", {"y": 2, "x": 1}, timeout=3, labels={"a": "b"})
    c = WorkSpec("pkg.mod:fn", {"x": 2, "y": 2})
    d = WorkSpec("pkg.mod:other", {"x": 1, "y": 2})
    assert a.key == b.key
    assert len({a.key, c.key, d.key}) == 3
    assert WorkSpec("pkg.mod:fn", {"x": 1}, key="mine").key == "mine"


def test_args_are_copied_so_the_spec_does_not_change() -> None:
    args = {"items": [1, 2]}
    spec = WorkSpec("pkg.mod:fn", args)
    args["items"].append(3)
    assert spec.args == {"items": [1, 2]}


def test_kind_may_be_given_as_a_string() -> None:
    assert WorkSpec("pkg.mod:fn", kind="cpu").kind is WorkKind.CPU  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "args",
    [{"when": datetime(2024, 1, 1, tzinfo=UTC)}, {"obj": object()}, {"nan": float("nan")}, {"s": {1, 2}}],
)
def test_non_json_args_are_rejected(args: dict[str, object]) -> None:
    with pytest.raises(SpecError, match=r"task 'pkg.mod:fn': args must be JSON-serialisable"):
        WorkSpec("pkg.mod:fn", args)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"task": "no_colon"}, "not of the form 'package.module:function'"),
        ({"task": "pkg.mod:"}, "not of the form"),
        ({"task": "pkg.mod:fn", "timeout": 0}, "timeout must be a positive number"),
        ({"task": "pkg.mod:fn", "timeout": "5"}, "timeout must be a positive number"),
        ({"task": "pkg.mod:fn", "retries": -1}, "retries must be an int >= 0"),
        ({"task": "pkg.mod:fn", "kind": "gpu"}, "kind 'gpu' is not one of io, cpu"),
        ({"task": "pkg.mod:fn", "labels": {"a": 1}}, "labels must map str to str"),
    ],
)
def test_bad_specs_are_rejected(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(SpecError, match=match) as info:
        WorkSpec(**kwargs)  # type: ignore[arg-type]
    assert isinstance(info.value, DispatchError)


def test_from_dict_names_unknown_fields() -> None:
    with pytest.raises(SpecError, match="unknown field"):
        WorkSpec.from_dict({"task": "pkg.mod:fn", "queue": "fast"})
    with pytest.raises(SpecError, match="'task' is missing"):
        WorkSpec.from_dict({"args": {}})


def test_specs_are_hashable() -> None:
    assert len({WorkSpec("pkg.mod:fn", {"x": 1}), WorkSpec("pkg.mod:fn", {"x": 1})}) == 1


@pytest.mark.parametrize(
    ("status", "error_type"),
    [
        (WorkStatus.FAILED, DispatchError),
        (WorkStatus.TIMED_OUT, WorkTimeout),
        (WorkStatus.CANCELLED, WorkCancelled),
    ],
)
def test_unwrap_raises_the_matching_error(status: WorkStatus, error_type: type[Exception]) -> None:
    result = WorkResult(key="k", task="pkg.mod:fn", status=status, error="what went wrong")
    with pytest.raises(error_type, match="what went wrong"):
        result.unwrap()
    assert WorkResult(key="k", task="t:t", status=WorkStatus.SUCCEEDED, value=3).unwrap() == 3


def test_result_to_dict_is_json() -> None:
    now = datetime.now(UTC)
    result = WorkResult("k", "pkg.mod:fn", WorkStatus.SUCCEEDED, {"a": 1}, "", 1, now, now, 0.0)
    assert json.loads(json.dumps(result.to_dict()))["status"] == "succeeded"
