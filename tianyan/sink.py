"""The alert sink of a command: the notify pipeline when routing is configured, else none."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hucheng.config import Settings
    from hucheng.store import Store
    from tianyan.notify.pipeline import NotifyPipeline


def build_sink(settings: Settings, store: Store) -> NotifyPipeline | None:
    """``None`` when ``tianyan.notify.alertmanager_config`` is not set: alerts are kept, not sent."""
    if not settings.tianyan.notify.alertmanager_config:
        return None
    from tianyan.notify.pipeline import build_pipeline

    return build_pipeline(settings, store)
