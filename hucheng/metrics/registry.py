"""A fresh registry per run, and the standard metrics every tool's run records.

The run metrics follow Prometheus naming conventions (base units, ``_seconds``, ``_timestamp_seconds``)
and carry one label, ``tool``, so one registry can hold the runs of every tool in a ``hucheng run``:

    hucheng_run_duration_seconds{tool}         how long the run took
    hucheng_run_success{tool}                  1 if the run succeeded, else 0
    hucheng_run_last_timestamp_seconds{tool}   when the run finished (Unix time)
    hucheng_run_started_timestamp_seconds{tool} when the run started (Unix time)
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Gauge

from hucheng.errors import MetricsError

#: statuses (compared case-insensitively) that count as a successful run; anything else is a failure
SUCCESS_STATUSES = frozenset({"ok", "success", "succeeded", "passed"})


def new_registry() -> CollectorRegistry:
    """Return an empty registry for one run. Never the client's global ``REGISTRY``."""
    return CollectorRegistry(auto_describe=True)


class RunMetrics:
    """The standard run metrics, registered once in ``registry``; :meth:`record` one run per tool."""

    def __init__(self, registry: CollectorRegistry) -> None:
        try:
            self.duration = Gauge(
                "hucheng_run_duration_seconds",
                "Duration of the last hucheng run of a tool.",
                ["tool"],
                registry=registry,
            )
            self.success = Gauge(
                "hucheng_run_success",
                "1 if the last hucheng run of a tool succeeded, 0 if it failed.",
                ["tool"],
                registry=registry,
            )
            self.last_timestamp = Gauge(
                "hucheng_run_last_timestamp_seconds",
                "Unix time at which the last hucheng run of a tool finished.",
                ["tool"],
                registry=registry,
            )
            self.started_timestamp = Gauge(
                "hucheng_run_started_timestamp_seconds",
                "Unix time at which the last hucheng run of a tool started.",
                ["tool"],
                registry=registry,
            )
        except ValueError as err:  # "Duplicated timeseries in CollectorRegistry"
            raise MetricsError(
                f"the run metrics are already registered in this registry ({err}); "
                "create one RunMetrics per registry and call .record() for each tool"
            ) from err

    def record(self, *, tool: str, status: str, duration_seconds: float, started: float) -> None:
        """Record one run of ``tool``; ``started`` is Unix time, ``status`` e.g. ``"ok"`` or ``"failed"``."""
        if not tool:
            raise MetricsError("cannot record a run without a tool name; pass tool='<tool>'")
        if duration_seconds < 0:
            raise MetricsError(f"run duration of {tool} is negative ({duration_seconds}); check the clock")
        succeeded = status.lower() in SUCCESS_STATUSES
        self.duration.labels(tool=tool).set(duration_seconds)
        self.success.labels(tool=tool).set(1 if succeeded else 0)
        self.started_timestamp.labels(tool=tool).set(started)
        self.last_timestamp.labels(tool=tool).set(started + duration_seconds)


def record_run(
    registry: CollectorRegistry, *, tool: str, status: str, duration_seconds: float, started: float
) -> RunMetrics:
    """Register the run metrics in ``registry`` and record one run of ``tool``.

    For several tools in one registry, keep the returned :class:`RunMetrics` and call its
    :meth:`~RunMetrics.record`; calling ``record_run`` twice on one registry raises ``MetricsError``.
    """
    metrics = RunMetrics(registry)
    metrics.record(tool=tool, status=status, duration_seconds=duration_seconds, started=started)
    return metrics
