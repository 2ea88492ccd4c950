"""The ``tianyan_samples`` kind: one check execution (or one rule evaluation's recorded series) with
its samples, so a later cron run can compute rate() over earlier runs."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from hucheng.store.kinds.base import RecordKind


class SampleV1(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    labels: dict[str, str] = Field(default_factory=dict)
    value: float


class SamplesV1(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: "check" for a check execution, "rule" for series written by recording rules
    source: str
    kind: str = ""
    success: bool = True
    duration_seconds: float = Field(default=0.0, ge=0)
    error: str = ""
    samples: list[SampleV1] = Field(default_factory=list)


KIND = RecordKind(
    name="tianyan_samples",
    version=1,
    model=SamplesV1,
    description="tianyan: one check execution (or recording-rule output) and its samples; label check=NAME",
)
