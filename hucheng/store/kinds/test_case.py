"""The ``test_case`` kind: one test case from a JUnit report a pipeline job produced (mojing reads
them for flaky tests). Labels: ``run``, ``job``, ``suite``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hucheng.store.kinds.base import RecordKind


class TestCaseV1(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    classname: str = ""
    suite: str = ""
    status: Literal["passed", "failed", "error", "skipped"]
    duration_seconds: float = Field(default=0.0, ge=0)
    message: str = ""
    report: str = ""  # the report file it came from
    run_id: str = ""
    job: str = ""


KIND = RecordKind(
    name="test_case",
    version=1,
    model=TestCaseV1,
    description="a test case result from a JUnit report (name, class, status, duration), per run and job",
)
