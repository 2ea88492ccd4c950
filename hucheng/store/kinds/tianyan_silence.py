"""The ``tianyan_silence`` kind: one version of a silence (``tianyan silence add/expire``).

A silence is mutable state on an append-only store: each change appends a record with the same
``silence`` label, and the newest record of a silence is its current form.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from hucheng.store.kinds.base import RecordKind


class SilenceV1(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    silence_id: str
    #: Alertmanager matcher texts, e.g. ['service="pay"', 'severity=~"warn|crit"']
    matchers: list[str]
    starts_at: datetime
    ends_at: datetime
    created_by: str = ""
    comment: str = ""


KIND = RecordKind(
    name="tianyan_silence",
    version=1,
    model=SilenceV1,
    description="a tianyan silence (matchers, start, end, author, comment); newest record per silence wins",
)
