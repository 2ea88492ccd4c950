"""The ``tianyan_rule_state`` kind: the alert states of every alerting rule after one evaluation.

Mutable state the store way: each evaluation appends one record; the newest is the current state.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hucheng.store.kinds.base import RecordKind


class ActiveAlertV1(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str
    labels: dict[str, str]
    annotations: dict[str, str] = Field(default_factory=dict)
    state: Literal["pending", "firing", "resolved"]
    active_at: datetime
    fired_at: datetime | None = None
    resolved_at: datetime | None = None
    last_seen: datetime
    #: first evaluation the condition was gone while firing (keep_firing_for counts from here)
    keep_firing_since: datetime | None = None
    value: float | None = None


class RuleStateV1(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    evaluated_at: datetime
    #: fingerprint -> alert
    alerts: dict[str, ActiveAlertV1] = Field(default_factory=dict)


KIND = RecordKind(
    name="tianyan_rule_state",
    version=1,
    model=RuleStateV1,
    description="tianyan: every active alert (pending, firing, just resolved) after one rule evaluation",
)
