"""lego's part of ``hucheng run``: run the pipeline named by ``lego.pipeline`` once."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from hucheng.cycle import ToolOutcome, ToolStatus

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

    from hucheng.config import Settings
    from hucheng.store import Store


def run_cycle(settings: Settings, store: Store, registry: CollectorRegistry) -> ToolOutcome:
    """Run ``lego.pipeline`` quietly (logs are stored); a failed pipeline is a finding (exit 1)."""
    from lego.run.engine import RunOptions, execute
    from lego.run.notify import on_run_finished
    from lego.run.state import RunStatus
    from lego.spec import load_pipeline

    t0 = time.monotonic()
    path = settings.lego.pipeline
    if path is None:
        return ToolOutcome("lego", ToolStatus.OK, "no pipeline configured (lego.pipeline)", 0.0)
    pipeline = load_pipeline(path)
    options = RunOptions()
    if settings.lego.jobs is not None:
        options.parallel = settings.lego.jobs
    result = execute(pipeline, store=store, home=settings.home, options=options)
    on_run_finished(result, settings, store)
    counts = ", ".join(f"{n} {s}" for s, n in sorted(result.counts.items()))
    detail = f"run {result.run_id} {result.status.value} ({counts})"
    status = ToolStatus.OK if result.status is RunStatus.SUCCESS else ToolStatus.FINDINGS
    return ToolOutcome("lego", status, detail, time.monotonic() - t0)
