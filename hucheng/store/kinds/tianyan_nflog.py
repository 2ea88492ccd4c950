"""The ``tianyan_nflog`` kind: what was last notified for one group on one channel (like
Alertmanager's notification log), so nothing is notified twice, across restarts too."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from hucheng.store.kinds.base import RecordKind


class NflogEntryV1(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    group_key: str
    integration: str
    #: fingerprints of the alerts that were firing / resolved in that notification
    firing: list[str]
    resolved: list[str]


KIND = RecordKind(
    name="tianyan_nflog",
    version=1,
    model=NflogEntryV1,
    description="tianyan notification log: the firing/resolved alerts last notified per group and channel",
)
