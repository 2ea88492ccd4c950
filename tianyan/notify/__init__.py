"""Routing, grouping, silences, inhibition, templates, the outbox and the channels.

The one library call for other tools (lego, changcheng, huabao, baibaoxiang)::

    from tianyan.model import Alert
    from tianyan.notify import send_alerts

    summary = send_alerts([Alert(labels={"alertname": "PipelineFailed", "pipeline": "deploy"},
                                 annotations={"summary": "deploy failed at step test"})],
                          settings=settings, store=store)

The alerts get the same routing, grouping, silences, de-duplication and outbox as tianyan's own.
A resolved alert is sent once with ``state=AlertState.RESOLVED`` and ``ends_at``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hucheng.config import Settings
    from hucheng.store import Store
    from tianyan.model import Alert
    from tianyan.notify.delivery import DeliverySummary

__all__ = ["send_alerts"]


def send_alerts(
    alerts: Sequence[Alert], *, settings: Settings, store: Store, now: datetime | None = None
) -> DeliverySummary:
    """Route ``alerts`` and deliver them now (process + flush). Failed sends stay in the outbox and
    are retried by the next ``tianyan check --once`` or by ``tianyan serve``."""
    from tianyan.notify.pipeline import build_pipeline

    moment = now or datetime.now(UTC)
    pipeline = build_pipeline(settings, store)
    pipeline.process(alerts, moment)
    return pipeline.flush(moment)
