"""Task names to callables, and running one attempt of a task into an :class:`Outcome`.

A task is named ``"package.module:function"`` and found by import, in the worker that runs it (as a
Celery worker would). There is no allow-list: whoever can submit work can already run code.
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

from hucheng.dispatch.interface import WorkContext
from hucheng.dispatch.result import Outcome, WorkStatus
from hucheng.dispatch.spec import TASK_NAME
from hucheng.errors import DispatchError, WorkCancelled

log = logging.getLogger(__name__)

TaskFunction = Callable[..., object]


def resolve_task(name: str) -> TaskFunction:
    """Import ``"package.module:function"`` and return the function; :class:`DispatchError` if not found."""
    if not TASK_NAME.match(name):
        raise DispatchError(f"task {name!r} is not of the form 'package.module:function'")
    module_name, _, attr = name.partition(":")
    try:
        obj: object = importlib.import_module(module_name)
    except ImportError as exc:
        raise DispatchError(f"task {name!r}: cannot import module {module_name!r}: {exc}") from exc
    except Exception as exc:
        raise DispatchError(f"task {name!r}: importing {module_name!r} failed: {one_line(exc)}") from exc
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise DispatchError(f"task {name!r}: module {module_name!r} has no attribute {attr!r}") from None
    if not callable(obj):
        raise DispatchError(f"task {name!r}: {attr!r} in {module_name!r} is not callable")
    return obj


def one_line(exc: BaseException) -> str:
    """``"ValueError: first line of the message"``, at most 500 characters."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return text if len(text) <= 500 else text[:497] + "..."


def run_attempt(task: str, ctx: WorkContext, args: Mapping[str, Any]) -> Outcome:
    """Resolve and call the task; never raises. The value is normalised through JSON, as a broker would."""
    try:
        fn = resolve_task(task)
    except DispatchError as exc:
        return Outcome(WorkStatus.FAILED, error=str(exc))
    try:
        value = fn(ctx, **args)
    except WorkCancelled as exc:
        return Outcome(WorkStatus.CANCELLED, error=f"task {task!r} cancelled: {exc}")
    except Exception as exc:
        log.debug("task %s (key %s) raised", task, ctx.key, exc_info=True)
        return Outcome(WorkStatus.FAILED, error=f"task {task!r} raised {one_line(exc)}")
    try:
        value = json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError) as exc:
        return Outcome(
            WorkStatus.FAILED, error=f"task {task!r} returned a value that is not JSON-able: {exc}"
        )
    return Outcome(WorkStatus.SUCCEEDED, value=value)
