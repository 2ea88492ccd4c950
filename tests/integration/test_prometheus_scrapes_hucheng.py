"""A real Prometheus scrapes a hucheng /metrics endpoint; the value is read back through its HTTP API."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from prometheus_client import CollectorRegistry, Gauge

from hucheng.metrics import MetricsServer, new_registry, record_run, serve_metrics

pytestmark = pytest.mark.integration


@pytest.fixture
def registry() -> CollectorRegistry:
    return new_registry()


@pytest.fixture
def endpoint(registry: CollectorRegistry) -> Iterator[MetricsServer]:
    with serve_metrics(registry) as server:
        yield server


def test_prometheus_reads_back_a_served_gauge(prometheus_server, registry, endpoint) -> None:
    gauge = Gauge("hucheng_test_queue_depth", "Items waiting.", ["queue", "site"], registry=registry)
    gauge.labels(queue="builds", site="bj").set(42.5)
    record_run(registry, tool="lego", status="ok", duration_seconds=3.25, started=time.time() - 3.25)

    prom = prometheus_server(scrape_targets=[endpoint.url], job="hucheng-it")

    result = prom.wait_for('hucheng_test_queue_depth{job="hucheng-it"}', timeout=30)
    assert len(result) == 1
    labels, (_, value) = result[0]["metric"], result[0]["value"]
    assert float(value) == 42.5
    assert labels["queue"] == "builds"
    assert labels["site"] == "bj"
    assert labels["instance"] == f"127.0.0.1:{endpoint.port}"

    up = prom.query('up{job="hucheng-it"}')
    assert [float(sample["value"][1]) for sample in up] == [1.0]

    run = prom.wait_for('hucheng_run_duration_seconds{tool="lego"}')
    assert float(run[0]["value"][1]) == 3.25
    assert prom.query('hucheng_run_success{tool="lego"}')[0]["value"][1] == "1"


def test_prometheus_sees_a_changed_value(prometheus_server, registry, endpoint) -> None:
    gauge = Gauge("hucheng_test_changing", "A value that changes.", registry=registry)
    gauge.set(1)
    prom = prometheus_server(scrape_targets=[endpoint.url])
    prom.wait_for("hucheng_test_changing == 1")
    gauge.set(7)
    result = prom.wait_for("hucheng_test_changing == 7")
    assert result[0]["metric"]["job"] == "hucheng"
