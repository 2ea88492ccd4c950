"""The ``lego_approval`` kind: `lego approve RUN JOB` lets a ``manual: true`` job start."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from hucheng.store.kinds.base import RecordKind


class LegoApprovalV1(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    run_id: str
    job: str
    by: str = ""  # the user who approved


KIND = RecordKind(
    name="lego_approval",
    version=1,
    model=LegoApprovalV1,
    description="approval of a manual lego job (run, job, who)",
)
