"""Small helpers shared by the notify tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hucheng.store import Store
from tianyan.model import Alert, AlertState
from tianyan.notify.amconfig import RoutingConfig, load_routing
from tianyan.notify.config import NotifyConfig
from tianyan.notify.pipeline import NotifyPipeline

#: a Wednesday, 10:00 UTC
T0 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def s(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


def alert(name: str, starts_at: datetime = T0, **labels: str) -> Alert:
    return Alert(
        labels={"alertname": name, **labels},
        annotations={"summary": f"{name} on {labels.get('instance', '?')}"},
        starts_at=starts_at,
    )


def resolved(a: Alert, at: datetime) -> Alert:
    return Alert(a.labels, a.annotations, AlertState.RESOLVED, a.starts_at, at)


def routing(tmp_path: Path, text: str) -> RoutingConfig:
    path = tmp_path / "alertmanager.yml"
    path.write_text(text)
    return load_routing(path, environ={})


def pipeline(cfg: RoutingConfig, store: Store, **config: Any) -> NotifyPipeline:
    import random

    return NotifyPipeline(cfg, store, NotifyConfig(**{"language": "en", **config}), rng=random.Random(7))


def webhook_config(
    url: str,
    *,
    group_wait: str = "30s",
    group_interval: str = "5m",
    repeat: str = "4h",
    extra_route: str = "",
    extra: str = "",
) -> str:
    return f"""
route:
  receiver: hook
  group_by: [alertname]
  group_wait: {group_wait}
  group_interval: {group_interval}
  repeat_interval: {repeat}
{extra_route}
receivers:
  - name: hook
    webhook_configs:
      - url: "{url}"
{extra}
"""
