"""The ``cycle`` kind: one run of ``hucheng run``, with the outcome of every tool in it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hucheng.store.kinds.base import RecordKind


class ToolOutcome(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: the brief's ok/failed/skipped plus what hucheng.cycle.ToolStatus writes (findings, disabled,
    #: unavailable); extend with a new kind version, never by editing this one after release
    status: Literal["ok", "findings", "failed", "skipped", "disabled", "unavailable"]
    detail: str = ""


class CycleV1(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: tool name (tianyan, changcheng, ...) -> its outcome in this cycle
    tools: dict[str, ToolOutcome]
    duration_seconds: float = Field(ge=0)
    #: the config file the cycle ran with; None for the embedded default
    config: str | None = None


KIND = RecordKind(
    name="cycle",
    version=1,
    model=CycleV1,
    description="one run of `hucheng run`: every tool's status and detail, duration, config file",
)
