"""A finished run as a tianyan alert: a failed pipeline tells someone; the next success resolves it.

``lego run``/``retry``/``resume`` and ``hucheng run`` call :func:`on_run_finished` once per run. A
failed run becomes a firing ``LegoPipelineFailed`` alert, a successful one a resolved alert with the
same labels, handed to :func:`tianyan.notify.send_alerts` (routing, grouping, silences, de-duplication
and the outbox are tianyan's). The labels name the pipeline, not the run, so repeated failures of one
pipeline are one alert and the first success after them resolves it; the run id is an annotation.
Nothing is sent unless ``tianyan.notify.alertmanager_config`` is set.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from lego.run.state import RunResult, RunStatus

if TYPE_CHECKING:
    from hucheng.config import Settings
    from hucheng.store import Store
    from tianyan.model import Alert

log = logging.getLogger(__name__)

ALERT_NAME = "LegoPipelineFailed"


def failed_jobs(result: RunResult) -> list[str]:
    return [j.job for j in result.jobs.values() if j.status.value == "failed"]


def run_alert(result: RunResult, now: datetime) -> Alert | None:
    """The alert ``result`` implies: firing for a failed run, resolved for a successful one, none for
    a cancelled or unfinished run (a person stopped it; nobody needs telling)."""
    from tianyan.model import Alert, AlertState

    if result.status not in (RunStatus.FAILED, RunStatus.SUCCESS):
        return None
    labels = {
        "alertname": ALERT_NAME,
        "tool": "lego",
        "pipeline": Path(result.pipeline).name or result.pipeline,
        "severity": "warning",
    }
    if branch := result.trigger.get("branch"):
        labels["branch"] = branch
    failed = failed_jobs(result)
    annotations = {
        "summary": f"pipeline {labels['pipeline']} failed: {', '.join(failed) or 'see the run'}",
        "description": f"run {result.run_id}; `hucheng lego show {result.run_id}`, "
        f"`hucheng lego retry {result.run_id} --failed`",
        "run": result.run_id,
    }
    if result.status is RunStatus.FAILED:
        return Alert(labels=labels, annotations=annotations, state=AlertState.FIRING, starts_at=now)
    return Alert(
        labels=labels, annotations=annotations, state=AlertState.RESOLVED, starts_at=now, ends_at=now
    )


def on_run_finished(result: RunResult, settings: Settings, store: Store | None = None) -> int:
    """Hand the run's alert to tianyan; return how many alerts were sent (0 when not configured)."""
    if settings.tianyan.notify.alertmanager_config is None:
        return 0
    now = datetime.now(UTC)
    alert = run_alert(result, now)
    if alert is None:
        return 0
    from hucheng.store import open_store
    from tianyan.notify import send_alerts

    if store is not None:
        return send_alerts([alert], settings=settings, store=store, now=now).sent
    with open_store(settings.store_url) as own:
        return send_alerts([alert], settings=settings, store=own, now=now).sent
