"""What every check kind shares: its config fields, its result, and the interface a kind implements."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pydantic import Field, field_validator

from hucheng.config.section import Section
from hucheng.durations import parse_duration
from tianyan.model import Sample


def _duration(value: str) -> str:
    parse_duration(value)  # raises ValueError naming the bad text; pydantic reports the key
    return value


class CheckBase(Section):
    """Fields of every check: ``name`` (unique), ``interval``, ``timeout`` and extra ``labels``."""

    name: str = Field(min_length=1, description="unique name; the `check` label of its samples")
    interval: str = Field(default="30s", description="how often `serve` runs it, e.g. 30s, 5m")
    timeout: str = Field(default="10s", description="the check gives up (and fails) after this")
    labels: dict[str, str] = Field(default_factory=dict, description="extra labels on every sample")

    _check_interval = field_validator("interval", "timeout")(_duration)

    @property
    def interval_seconds(self) -> float:
        return parse_duration(self.interval).total_seconds()

    @property
    def timeout_seconds(self) -> float:
        return parse_duration(self.timeout).total_seconds()


@dataclass(frozen=True)
class Observation:
    """What a check kind returns: its samples (without time) and, when it failed, why."""

    samples: Sequence[tuple[str, Mapping[str, str], float]]
    success: bool
    error: str = ""


@dataclass(frozen=True)
class CheckResult:
    """One execution of one check: samples stamped with the start time, plus success and duration."""

    name: str
    kind: str
    time: datetime
    success: bool
    duration_seconds: float
    samples: tuple[Sample, ...] = field(default_factory=tuple)
    error: str = ""


#: a check kind: run the check described by its config, within ``timeout`` seconds
RunCheck = Callable[[CheckBase, float], Observation]


@dataclass(frozen=True)
class CheckKind:
    """One kind of check: its config model and the function that runs it."""

    config: type[CheckBase]
    run: RunCheck


def seconds(delta: timedelta) -> float:
    return delta.total_seconds()
