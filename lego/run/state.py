"""What running produces: the state of each step, job and run, as frozen values (no processes)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class JobStatus(StrEnum):
    PENDING = "pending"
    WAITING = "waiting"  # manual: true, not approved yet
    RUNNING = "running"
    SUCCESS = "success"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


FINISHED = frozenset({JobStatus.SUCCESS, JobStatus.FAILED, JobStatus.SKIPPED, JobStatus.CANCELLED})


class RunStatus(StrEnum):
    RUNNING = "running"
    WAITING = "waiting"
    SUCCESS = "success"
    FAILED = "failed"
    CANCELLED = "cancelled"


class StepStatus(StrEnum):
    SUCCESS = "success"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"
    TIMED_OUT = "timed_out"


@dataclass(frozen=True)
class StepResult:
    id: str
    name: str
    status: StepStatus
    exit_code: int | None = None
    duration_seconds: float = 0.0
    continued_on_error: bool = False


@dataclass(frozen=True)
class TestCaseResult:
    name: str
    classname: str
    suite: str
    status: str  # passed, failed, error, skipped
    duration_seconds: float
    message: str
    report: str


@dataclass(frozen=True)
class JobResult:
    job: str
    status: JobStatus
    outcome: str = ""  # "failure" when continue-on-error turned a failure into success
    started: str | None = None
    finished: str | None = None
    duration_seconds: float = 0.0
    attempts: int = 0
    exit_code: int | None = None
    cache_hit: bool = False
    cache_key: str | None = None
    reused_from: str | None = None
    outputs: Mapping[str, str] = field(default_factory=dict)
    artifacts: tuple[str, ...] = ()
    message: str = ""
    steps: tuple[StepResult, ...] = ()
    tests: tuple[TestCaseResult, ...] = ()
    timed_out: bool = False


@dataclass(frozen=True)
class RunResult:
    run_id: str
    pipeline: str
    status: RunStatus
    started: str
    finished: str
    duration_seconds: float
    jobs: Mapping[str, JobResult]
    run_dir: str
    trigger: Mapping[str, str] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for job in self.jobs.values():
            out[job.status.value] = out.get(job.status.value, 0) + 1
        return out

    @property
    def cache_hits(self) -> int:
        return sum(1 for j in self.jobs.values() if j.cache_hit)


_UNSAFE = re.compile(r"[^\w.=-]+")  # \w: letters and digits of any script (构建 stays 构建)
_MAX_SLUG_BYTES = 120  # of the readable part: a file name stops at 255 bytes


def job_slug(job_id: str) -> str:
    """A file name for the job's log, artifacts and work files, one per job id: the id itself when it
    is safe as it is (``build``, ``构建``); else its safe characters and 12 hex digits of the id's
    hash (``test (python=3.12)`` -> ``test-python=3.12-<12 hex>``), so ``a b`` and ``a/b``, or the
    matrix values ``x y`` and ``x/y``, never share a log or a ``$LEGO_OUTPUT`` file."""
    safe = _UNSAFE.sub("-", job_id).strip("-")
    if safe == job_id and not job_id.startswith(".") and len(job_id.encode()) <= _MAX_SLUG_BYTES:
        return job_id
    readable = safe.encode()[:_MAX_SLUG_BYTES].decode(errors="ignore").strip("-.")
    digest = hashlib.sha256(job_id.encode()).hexdigest()[:12]
    return f"{readable}-{digest}" if readable else digest


_LEGACY_UNSAFE = re.compile(r"[^A-Za-z0-9_.=-]+")


def legacy_job_slug(job_id: str) -> str:
    """The file name runs written before :func:`job_slug` (hucheng 0.1 runs without the
    ``RunDir.LAYOUT`` marker) used; different ids could share it (``a b``, ``a/b``)."""
    return _LEGACY_UNSAFE.sub("-", job_id).strip("-") or "job"
