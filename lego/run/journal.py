"""The run's journal: one JSON line per event, appended and flushed as it happens.

It is what makes ``lego resume`` exact after the runner was SIGKILLed: a job whose ``job_end`` line
is in the journal finished and is never run again; a job that has ``step_start`` lines but no
``job_end`` was running and is run again (after its leftover process groups are killed). Store
records are written in batches from the same events, so the store may lag the journal; resume writes
what is missing (record ids are deterministic, so nothing is written twice).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from lego.run.state import JobResult, JobStatus, StepResult, StepStatus, TestCaseResult


def result_to_json(result: JobResult) -> dict[str, Any]:
    data = dict(result.__dict__)
    data["status"] = result.status.value
    data["outputs"] = dict(result.outputs)
    data["artifacts"] = list(result.artifacts)
    data["steps"] = [{**s.__dict__, "status": s.status.value} for s in result.steps]
    data["tests"] = [dict(t.__dict__) for t in result.tests]
    return data


def result_from_json(d: dict[str, Any]) -> JobResult:
    return JobResult(
        **{
            **d,
            "status": JobStatus(d["status"]),
            "outputs": dict(d["outputs"]),
            "artifacts": tuple(d["artifacts"]),
            "steps": tuple(StepResult(**{**s, "status": StepStatus(s["status"])}) for s in d["steps"]),
            "tests": tuple(TestCaseResult(**t) for t in d["tests"]),
        }
    )


class Journal:
    """Appends events to ``path``; safe to call from helper threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._fh = path.open("ab")

    def write(self, event: dict[str, Any], *, flush: bool = True) -> None:
        """Append ``event``; flushed to the kernel (it survives a SIGKILL of this process) unless
        ``flush`` is False: for events that may be lost harmlessly (a cache hit is found again), and
        for those the caller flushes itself before it waits (the scheduler, for ``step_start``)."""
        line = orjson.dumps(event) + b"\n"  # compact UTF-8, as json.dumps(ensure_ascii=False)
        with self._lock:
            self._fh.write(line)
            if flush:
                self._fh.flush()

    def flush(self) -> None:
        with self._lock:
            if not self._fh.closed:
                self._fh.flush()

    def close(self) -> None:
        with self._lock:
            self._fh.close()


@dataclass
class Replay:
    """What a journal says about a run that may have been killed."""

    finished: dict[str, JobResult] = field(default_factory=dict)
    #: job -> process group ids of steps started and not known to have ended
    started_groups: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    run_ended: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def replay(path: Path) -> Replay:
    out = Replay()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return out
    for line in text.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue  # a line cut short by a kill: the event did not happen
        kind = event.get("e")
        if kind == "meta":
            out.meta.update(event.get("meta", {}))
        elif kind == "step_start":
            out.started_groups.setdefault(event["job"], []).append((event["pid"], event.get("ctime", 0.0)))
        elif kind == "job_end":
            result = result_from_json(event["result"])
            out.finished[result.job] = result
            out.started_groups.pop(result.job, None)
        elif kind == "run_end":
            out.run_ended = event["status"]
        elif kind == "run_resumed":
            out.run_ended = None
    return out
