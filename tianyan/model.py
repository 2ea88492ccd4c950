"""The values every part of tianyan passes around: samples, alerts, and the sink alerts go to.

Checks produce :class:`Sample` values; rule evaluation turns samples into :class:`Alert` values; an
:class:`AlertSink` (the notify pipeline: routing, grouping, silences, inhibition, outbox, channels)
takes alerts. Other tools (lego, changcheng, huabao, baibaoxiang) build :class:`Alert` values and hand
them to the same sink, so they get the same routing and delivery.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

#: FNV-1a 64-bit, as prometheus/common model.LabelSet.Fingerprint computes it
_FNV_OFFSET = 14695981039346656037
_FNV_PRIME = 1099511628211
_MASK = (1 << 64) - 1
_SEPARATOR = 0xFF


def _fnv_add(h: int, data: bytes) -> int:
    for byte in data:
        h ^= byte
        h = (h * _FNV_PRIME) & _MASK
    return h


def fingerprint(labels: Mapping[str, str]) -> str:
    """Alertmanager's fingerprint of a label set: 16 hex digits, the same value Alertmanager shows."""
    h = _FNV_OFFSET
    for name in sorted(labels):
        h = _fnv_add(h, name.encode())
        h = _fnv_add(h, bytes([_SEPARATOR]))
        h = _fnv_add(h, labels[name].encode())
        h = _fnv_add(h, bytes([_SEPARATOR]))
    return f"{h:016x}"


@dataclass(frozen=True)
class Sample:
    """One value of one series at one time: node_exporter / blackbox_exporter naming."""

    name: str
    labels: Mapping[str, str]
    value: float
    time: datetime  # tz-aware, UTC


class AlertState(StrEnum):
    INACTIVE = "inactive"
    PENDING = "pending"
    FIRING = "firing"
    RESOLVED = "resolved"


@dataclass(frozen=True)
class Alert:
    """One alert instance. ``labels`` include ``alertname``; identity is :attr:`fingerprint`."""

    labels: Mapping[str, str]
    annotations: Mapping[str, str] = field(default_factory=dict)
    state: AlertState = AlertState.FIRING
    starts_at: datetime | None = None  # when it became active (pending), tz-aware UTC
    ends_at: datetime | None = None  # set when resolved
    value: float | None = None
    generator_url: str = ""

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.labels)

    @property
    def name(self) -> str:
        return self.labels.get("alertname", "")


class AlertSink(Protocol):
    """Where alerts go. ``process`` is called with every alert whose state matters now (firing, and
    resolved ones once); the sink owns de-duplication, grouping, silences and delivery."""

    def process(self, alerts: Sequence[Alert], now: datetime) -> None: ...
