"""One cycle of the suite (``hucheng run``): every enabled tool once, a ``cycle`` record, metrics.

Each tool contributes a cycle runner through :data:`CYCLE_RUNNERS` (an explicit dict, filled in as
the tools land). A tool that is enabled but has no runner yet is reported as ``unavailable``, never
as a success.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from hucheng.config import TOOL_SECTIONS
from hucheng.errors import HuchengError

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

    from hucheng.config import Settings
    from hucheng.store import Store

log = logging.getLogger(__name__)


class ToolStatus(StrEnum):
    OK = "ok"
    FINDINGS = "findings"  # ran, and found something that fails the run (exit 1)
    FAILED = "failed"  # could not run
    DISABLED = "disabled"
    UNAVAILABLE = "unavailable"  # enabled, but this version has no cycle for the tool yet


#: statuses that make a cycle fail (exit 1)
FAILING = frozenset({ToolStatus.FAILED, ToolStatus.FINDINGS})


@dataclass(frozen=True)
class ToolOutcome:
    tool: str
    status: ToolStatus
    detail: str = ""
    duration_seconds: float = 0.0


class CycleRunner(Protocol):
    def __call__(self, settings: Settings, store: Store, registry: CollectorRegistry) -> ToolOutcome: ...


#: tool name -> "module:function" of its cycle runner. Empty until the tools' own issues land.
CYCLE_RUNNERS: Mapping[str, str] = {
    "changcheng": "changcheng.cycle:run_cycle",
    "tianyan": "tianyan.cycle:run_cycle",
    "lego": "lego.cycle:run_cycle",
}


@dataclass(frozen=True)
class CycleResult:
    started: datetime
    outcomes: tuple[ToolOutcome, ...]
    duration_seconds: float
    record_id: str = ""

    @property
    def failed(self) -> bool:
        return any(o.status in FAILING for o in self.outcomes)


def _resolve(ref: str | CycleRunner) -> CycleRunner:
    if not isinstance(ref, str):
        return ref
    module, _, attr = ref.partition(":")
    runner: CycleRunner = getattr(importlib.import_module(module), attr)
    return runner


def _run_one(
    tool: str, ref: str | CycleRunner, settings: Settings, store: Store, registry: CollectorRegistry
) -> ToolOutcome:
    """One tool's cycle; its failure is recorded and the cycle goes on with the next tool."""
    t0 = time.monotonic()
    try:
        return _resolve(ref)(settings, store, registry)
    except HuchengError as exc:
        return ToolOutcome(tool, ToolStatus.FAILED, str(exc), time.monotonic() - t0)
    except Exception as exc:  # a bug in one tool must not cost the others their cycle
        log.exception("cycle: %s crashed", tool)
        detail = f"unexpected error: {type(exc).__name__}: {exc}"
        return ToolOutcome(tool, ToolStatus.FAILED, detail, time.monotonic() - t0)


def run_cycle(
    settings: Settings,
    store: Store,
    registry: CollectorRegistry,
    *,
    runners: Mapping[str, str | CycleRunner] = CYCLE_RUNNERS,
    config_file: str | None = None,
    on_tool: Callable[[ToolOutcome], None] = lambda outcome: None,
) -> CycleResult:
    """Run each enabled tool once, record the cycle in ``store`` and its metrics in ``registry``."""
    from hucheng.metrics import RunMetrics
    from hucheng.store import Record

    started = datetime.now(UTC)
    t0 = time.monotonic()
    metrics = RunMetrics(registry)
    outcomes = []
    for tool in TOOL_SECTIONS:
        if not getattr(settings, tool).enabled:
            outcome = ToolOutcome(tool, ToolStatus.DISABLED, "enabled: false in the config")
        elif tool not in runners:
            outcome = ToolOutcome(tool, ToolStatus.UNAVAILABLE, "no cycle in this version of hucheng yet")
        else:
            tool_started = time.time()
            outcome = _run_one(tool, runners[tool], settings, store, registry)
            metrics.record(
                tool=tool,
                status=outcome.status.value,
                duration_seconds=outcome.duration_seconds,
                started=tool_started,
            )
        log.info("cycle: %s %s %s", tool, outcome.status.value, outcome.detail)
        on_tool(outcome)
        outcomes.append(outcome)
    duration = time.monotonic() - t0
    ok = not any(o.status in FAILING for o in outcomes)
    metrics.record(
        tool="hucheng",
        status="ok" if ok else "failed",
        duration_seconds=duration,
        started=started.timestamp(),
    )
    record = Record(
        kind="cycle",
        time=started,
        labels={},
        data={
            "tools": {o.tool: {"status": o.status.value, "detail": o.detail} for o in outcomes},
            "duration_seconds": duration,
            "config": config_file,
        },
    )
    store.put([record])
    return CycleResult(started, tuple(outcomes), duration, record_id=record.id)
