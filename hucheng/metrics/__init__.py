"""Prometheus metrics for hucheng runs: a registry per run, a ``/metrics`` endpoint, Pushgateway pushes.

Built on ``prometheus_client``. Nothing here touches the client's global ``REGISTRY``: a run creates its
registry with :func:`new_registry` and passes it to everything that records or exports metrics.

    registry = new_registry()
    record_run(registry, tool="tianyan", status="ok", duration_seconds=3.2, started=t0)
    push_metrics(registry, "http://pushgateway:9091", job="hucheng", grouping_key={"instance": host})

Failures to serve or push raise :class:`hucheng.errors.MetricsError`. See docs/metrics.md.
"""

from __future__ import annotations

from hucheng.metrics.push import PushMethod, delete_metrics, push_metrics
from hucheng.metrics.registry import SUCCESS_STATUSES, RunMetrics, new_registry, record_run
from hucheng.metrics.serve import MetricsServer, serve_metrics

__all__ = [
    "SUCCESS_STATUSES",
    "MetricsServer",
    "PushMethod",
    "RunMetrics",
    "delete_metrics",
    "new_registry",
    "push_metrics",
    "record_run",
    "serve_metrics",
]
