"""tianyan's part of ``hucheng run``: one round (checks, rules, delivery), as ``check --once`` does."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

    from hucheng.config import Settings
    from hucheng.cycle import ToolOutcome
    from hucheng.store import Store


def run_cycle(settings: Settings, store: Store, registry: CollectorRegistry) -> ToolOutcome:
    """Run every check and rule once; FINDINGS while an alert fires. The checks' samples join
    ``registry``, so they are pushed with the run's metrics."""
    from hucheng.cycle import ToolOutcome, ToolStatus
    from tianyan.exposition import SamplesCollector
    from tianyan.monitor import Monitor
    from tianyan.sink import build_sink

    t0 = time.monotonic()
    sink = build_sink(settings, store)
    report = Monitor.build(settings.tianyan, store, sink).round()
    if sink is not None:
        sink.flush(datetime.now(UTC))
    samples = [s for r in report.results for s in r.samples]
    registry.register(SamplesCollector(lambda: samples))
    failed = sum(1 for r in report.results if not r.success)
    detail = (
        f"{len(report.results)} check(s), {failed} failed; {report.rules} rule(s), {report.firing} firing"
    )
    if report.errors:
        detail += f"; {len(report.errors)} rule error(s): {report.errors[0]}"
    status = ToolStatus.FINDINGS if report.firing else ToolStatus.OK
    return ToolOutcome("tianyan", status, detail, time.monotonic() - t0)
