"""A finished run as Prometheus metrics, pushed to the Pushgateway when ``metrics.pushgateway`` is set.

lego_run_success{pipeline}                 1 if the run succeeded
lego_run_duration_seconds{pipeline}
lego_run_jobs{pipeline,status}             jobs per final status
lego_run_cache_hits{pipeline}
lego_job_duration_seconds{pipeline,lego_job}
lego_job_success{pipeline,lego_job}             1 if the job succeeded (or was skipped by the cache)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lego.run.state import JobStatus, RunResult, RunStatus

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

    from hucheng.config.schema import MetricsConfig


def pipeline_name(result: RunResult) -> str:
    path = Path(result.pipeline)
    return f"{path.parent.name}/{path.name}"


def run_registry(result: RunResult) -> CollectorRegistry:
    from prometheus_client import Gauge

    from hucheng.metrics import new_registry

    registry = new_registry()
    name = pipeline_name(result)
    Gauge("lego_run_success", "1 if the lego run succeeded.", ["pipeline"], registry=registry).labels(
        name
    ).set(1 if result.status is RunStatus.SUCCESS else 0)
    Gauge("lego_run_duration_seconds", "Duration of the lego run.", ["pipeline"], registry=registry).labels(
        name
    ).set(result.duration_seconds)
    jobs = Gauge(
        "lego_run_jobs", "Jobs of the run by final status.", ["pipeline", "status"], registry=registry
    )
    for status in JobStatus:
        jobs.labels(name, status.value).set(sum(1 for j in result.jobs.values() if j.status is status))
    Gauge(
        "lego_run_cache_hits", "Jobs skipped by the content-hash cache.", ["pipeline"], registry=registry
    ).labels(name).set(result.cache_hits)
    duration = Gauge(
        "lego_job_duration_seconds", "Duration of a job.", ["pipeline", "lego_job"], registry=registry
    )
    success = Gauge(
        "lego_job_success", "1 if the job succeeded.", ["pipeline", "lego_job"], registry=registry
    )
    for job in result.jobs.values():
        duration.labels(name, job.job).set(job.duration_seconds)
        success.labels(name, job.job).set(1 if job.status is JobStatus.SUCCESS else 0)
    return registry


def push_run_metrics(result: RunResult, config: MetricsConfig) -> bool:
    """Push when a Pushgateway is configured; False when none is. Raises MetricsError on failure."""
    if not config.pushgateway:
        return False
    from hucheng.metrics.push import push_metrics

    key = {**config.grouping_key, "pipeline": pipeline_name(result)}
    push_metrics(run_registry(result), config.pushgateway, f"{config.job}_lego", key, timeout=config.timeout)
    return True
