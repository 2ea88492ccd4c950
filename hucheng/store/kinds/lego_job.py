"""The ``lego_job`` kind: one job of a lego run when it ended (or started waiting), with its steps."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hucheng.store.kinds.base import RecordKind


class StepV1(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    status: Literal["success", "failed", "skipped", "cancelled", "timed_out"]
    exit_code: int | None = None
    duration_seconds: float = Field(default=0.0, ge=0)
    continued_on_error: bool = False


class LegoJobV1(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    run_id: str
    job: str  # expanded id, e.g. "test (python=3.12)"
    base: str
    matrix: dict[str, str] = Field(default_factory=dict)
    status: Literal["success", "failed", "skipped", "cancelled", "waiting"]
    #: "failure" when it failed but has continue-on-error (status stays success)
    outcome: str = ""
    started: str | None = None
    finished: str | None = None
    duration_seconds: float = Field(default=0.0, ge=0)
    attempts: int = 0
    exit_code: int | None = None
    cache_hit: bool = False
    cache_key: str | None = None
    #: reused from the run `lego retry` re-ran, not run again
    reused_from: str | None = None
    outputs: dict[str, str] = Field(default_factory=dict)  # secrets masked
    artifacts: list[str] = Field(default_factory=list)  # paths relative to the job's artifact dir
    log: str = ""  # the job's log file
    message: str = ""  # why it failed or was skipped
    steps: list[StepV1] = Field(default_factory=list)


KIND = RecordKind(
    name="lego_job",
    version=1,
    model=LegoJobV1,
    description="one job of a lego run: status, times, attempts, exit code, cache hit, outputs, steps",
)
