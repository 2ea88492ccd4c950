"""The ``lego_run`` kind: the state of one pipeline run. A run appends one record per state change
(``running``, ``waiting``, then ``success``/``failed``/``cancelled``); the newest is the current state."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hucheng.store.kinds.base import RecordKind


class Trigger(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    sha: str = ""
    branch: str = ""
    author: str = ""
    #: "run", "retry", "resume" or "cycle"
    how: str = "run"


class LegoRunV1(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    run_id: str
    pipeline: str  # the pipeline file
    status: Literal["running", "waiting", "success", "failed", "cancelled"]
    started: str  # ISO time
    finished: str | None = None
    duration_seconds: float = Field(default=0.0, ge=0)
    trigger: Trigger = Field(default_factory=Trigger)
    #: the runner process (for `lego cancel`) and when it started (guards against pid reuse)
    pid: int = 0
    pid_started: float = 0.0
    host: str = ""
    #: job status -> how many jobs ended in it
    counts: dict[str, int] = Field(default_factory=dict)
    cache_hits: int = 0
    parent_run: str | None = None  # the run `lego retry` re-ran
    jobs: list[str] = Field(default_factory=list)  # the job ids, in order
    secrets: list[str] = Field(default_factory=list)  # secret names (never values)
    seq: int = 0  # orders the state records of one run


KIND = RecordKind(
    name="lego_run",
    version=1,
    model=LegoRunV1,
    description="a lego pipeline run's state: status, times, trigger (git sha, branch, author), counts",
)
