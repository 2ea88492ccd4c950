"""The ``deployment`` kind: a job with ``environment:`` deployed something (mojing: DORA metrics).
Labels: ``service``, ``environment``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from hucheng.store.kinds.base import RecordKind


class DeploymentV1(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    service: str
    environment: str
    version: str = ""
    commit: str = ""
    status: Literal["success", "failed", "cancelled"]
    run_id: str = ""
    job: str = ""


KIND = RecordKind(
    name="deployment",
    version=1,
    model=DeploymentV1,
    description="a deployment by a pipeline job: service, environment, version, commit, status",
)
