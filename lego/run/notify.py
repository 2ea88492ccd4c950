"""The hook a finished run goes through for failure notification.

tianyan's notifier lives on another branch; until it is merged this hook only logs. Wiring it is one
call here: build an alert from ``result`` (labels ``service``/``pipeline``/``run``, severity by status)
and pass it to ``tianyan.notify.send_alerts(settings, [alert])``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from lego.run.state import RunResult, RunStatus

if TYPE_CHECKING:
    from hucheng.config import Settings

log = logging.getLogger(__name__)


def failed_jobs(result: RunResult) -> list[str]:
    return [j.job for j in result.jobs.values() if j.status.value == "failed"]


def on_run_finished(result: RunResult, settings: Settings) -> None:
    """Called once per finished run (success or not) by ``lego run``/``retry``/``resume``."""
    if result.status is RunStatus.FAILED:
        log.info("lego run %s failed (jobs: %s); no notifier wired yet", result.run_id, failed_jobs(result))
