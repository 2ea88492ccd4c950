"""What to run: :class:`WorkSpec`, plain JSON-able data that any executor (local or Celery) can send."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from hucheng.errors import DispatchError

#: "package.module:function" (the part after the colon may be a dotted attribute path)
TASK_NAME = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*:[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$")

_FIELDS = ("task", "args", "key", "timeout", "kind", "retries", "labels")


class WorkKind(StrEnum):
    """Where a unit runs: ``io`` in a thread, ``cpu`` in a worker process."""

    IO = "io"
    CPU = "cpu"


class SpecError(DispatchError):
    """A work spec is malformed (bad task name, non-JSON args, negative retries, ...)."""

    slug = "work-spec"


def default_key(task: str, args: Mapping[str, Any]) -> str:
    """The idempotency key used when none is given: a hash of the task name and its arguments."""
    canonical = json.dumps({"task": task, "args": args}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def _json_copy(value: Any, what: str, task: str) -> Any:
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise SpecError(f"work spec for task {task!r}: {what} must be JSON-serialisable ({exc})") from exc


@dataclass(frozen=True)
class WorkSpec:
    """One unit of work. ``args`` are passed to the task as keyword arguments.

    ``args`` and ``labels`` are copied through JSON at construction, so a spec never shares state with
    the caller and behaves locally exactly as it will after a trip through a message broker.
    """

    task: str
    args: Mapping[str, Any] = field(default_factory=dict, hash=False)
    key: str = ""
    timeout: float | None = None
    kind: WorkKind = WorkKind.IO
    retries: int = 0
    labels: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if not isinstance(self.task, str) or not TASK_NAME.match(self.task):
            raise SpecError(f"work spec: task {self.task!r} is not of the form 'package.module:function'")
        if not isinstance(self.args, Mapping) or not all(isinstance(k, str) for k in self.args):
            raise SpecError(f"work spec for task {self.task!r}: args must be a mapping with str keys")
        object.__setattr__(self, "args", _json_copy(dict(self.args), "args", self.task))
        labels = dict(self.labels)
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in labels.items()):
            raise SpecError(f"work spec for task {self.task!r}: labels must map str to str")
        object.__setattr__(self, "labels", labels)
        try:
            object.__setattr__(self, "kind", WorkKind(self.kind))
        except ValueError:
            raise SpecError(
                f"work spec for task {self.task!r}: kind {self.kind!r} is not one of "
                f"{', '.join(k.value for k in WorkKind)}"
            ) from None
        if self.timeout is not None:
            if (
                isinstance(self.timeout, bool)
                or not isinstance(self.timeout, int | float)
                or self.timeout <= 0
            ):
                raise SpecError(
                    f"work spec for task {self.task!r}: timeout must be a positive number of seconds "
                    f"or None, not {self.timeout!r}"
                )
            object.__setattr__(self, "timeout", float(self.timeout))
        if isinstance(self.retries, bool) or not isinstance(self.retries, int) or self.retries < 0:
            raise SpecError(
                f"work spec for task {self.task!r}: retries must be an int >= 0, not {self.retries!r}"
            )
        if not isinstance(self.key, str):
            raise SpecError(f"work spec for task {self.task!r}: key must be a str, not {self.key!r}")
        if not self.key:
            object.__setattr__(self, "key", default_key(self.task, self.args))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict; :meth:`from_dict` turns it back into an equal spec."""
        return {
            "task": self.task,
            "args": dict(self.args),
            "key": self.key,
            "timeout": self.timeout,
            "kind": self.kind.value,
            "retries": self.retries,
            "labels": dict(self.labels),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WorkSpec:
        unknown = sorted(set(data) - set(_FIELDS))
        if unknown:
            raise SpecError(f"work spec: unknown field(s) {', '.join(unknown)}; known: {', '.join(_FIELDS)}")
        if "task" not in data:
            raise SpecError("work spec: the field 'task' is missing")
        return cls(**data)
