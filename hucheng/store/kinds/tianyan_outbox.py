"""The ``tianyan_outbox`` kind: one event in the life of one notification to one channel.

``queued`` (with the payload, written before any send) -> ``attempt`` n (a claim: its id is
deterministic, so only one process wins it) -> ``failed`` n (with the next try) ... -> ``sent`` or
``gave_up``. The events of one notification share the ``notification`` label.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from hucheng.store.kinds.base import RecordKind


class OutboxEventV1(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    notification_id: str
    event: Literal["queued", "attempt", "failed", "sent", "gave_up"]
    #: receiver/channel/index in the routing config, e.g. ops/dingtalk/0
    integration: str
    receiver: str
    #: where it goes, without secrets
    target: str
    group_key: str = ""
    status: Literal["firing", "resolved"] = "firing"
    firing: int = Field(default=0, ge=0)
    resolved: int = Field(default=0, ge=0)
    attempt: int = Field(default=0, ge=0)
    error: str = ""
    next_attempt_at: datetime | None = None
    #: attempt events: which process claimed it (a random token per process)
    claimed_by: str = ""
    #: the channel payload (queued events only); secrets are applied at send time, never stored
    payload: dict[str, Any] | None = None


KIND = RecordKind(
    name="tianyan_outbox",
    version=1,
    model=OutboxEventV1,
    description="tianyan notification outbox: queued, attempt, failed, sent, gave_up events",
)
