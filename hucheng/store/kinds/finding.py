"""The ``finding`` kind: a security finding's state change (changcheng), for time-to-remediate.

A finding is identified by ``scan`` + ``target`` + ``fingerprint``. Records are appended, never
edited: ``open`` when a scan first sees it (``first_seen``), ``fixed`` when a later scan of the same
target no longer does (``fixed_at``), ``accepted`` when it was suppressed (baseline, ignore file,
pragma). The newest record of a finding is its state; mojing computes time-to-remediate as
``fixed_at - first_seen``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from hucheng.store.kinds.base import RecordKind


class FindingV1(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    scan: Literal["deps", "secrets"]
    #: what was scanned (an absolute path, or a service name), so fingerprints of two repos never meet
    target: str
    fingerprint: str
    status: Literal["open", "fixed", "accepted"]
    rule_id: str
    title: str
    severity: Literal["unknown", "low", "medium", "high", "critical"]
    path: str
    line: int | None = None
    commit: str | None = None
    first_seen: datetime
    fixed_at: datetime | None = None
    #: why it was accepted (``accepted`` records)
    reason: str = ""


KIND = RecordKind(
    name="finding",
    version=1,
    model=FindingV1,
    description="a changcheng finding opened, fixed or accepted, with first-seen and fixed dates",
)
