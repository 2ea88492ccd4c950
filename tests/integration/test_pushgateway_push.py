"""hucheng pushes to a real Pushgateway and reads it back."""

from __future__ import annotations

import pytest
from prometheus_client import Gauge
from prometheus_client.parser import text_string_to_metric_families

from hucheng.errors import MetricsError
from hucheng.metrics import delete_metrics, new_registry, push_metrics, record_run

pytestmark = pytest.mark.integration

GROUP = {"instance": "ci-runner-7", "branch": "main/release"}  # "/" forces base64 in the URL


def _samples(text: str, name: str) -> list[tuple[dict[str, str], float]]:
    return [
        (dict(s.labels), s.value)
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == name
    ]


def test_push_read_back_and_delete(pushgateway) -> None:
    registry = new_registry()
    gauge = Gauge("hucheng_test_findings", "Findings.", ["severity"], registry=registry)
    gauge.labels(severity="high").set(3)
    record_run(registry, tool="changcheng", status="ok", duration_seconds=12.5, started=1_700_000_000)

    push_metrics(registry, pushgateway.url, job="hucheng-ci", grouping_key=GROUP)

    text = pushgateway.metrics_text()
    findings = _samples(text, "hucheng_test_findings")
    assert findings == [
        ({"job": "hucheng-ci", "instance": "ci-runner-7", "branch": "main/release", "severity": "high"}, 3.0)
    ]
    runs = _samples(text, "hucheng_run_duration_seconds")
    assert runs == [
        (
            {"job": "hucheng-ci", "instance": "ci-runner-7", "branch": "main/release", "tool": "changcheng"},
            12.5,
        )
    ]
    groups = pushgateway.groups()
    assert [g["labels"] for g in groups] == [{"job": "hucheng-ci", **GROUP}]

    delete_metrics(pushgateway.url, job="hucheng-ci", grouping_key=GROUP)
    assert _samples(pushgateway.metrics_text(), "hucheng_test_findings") == []
    assert pushgateway.groups() == []


def test_push_replaces_and_pushadd_keeps(pushgateway) -> None:
    first = new_registry()
    Gauge("hucheng_test_a", "a", registry=first).set(1)
    Gauge("hucheng_test_b", "b", registry=first).set(2)
    push_metrics(first, pushgateway.url, job="cron", grouping_key={"instance": "h1"})

    second = new_registry()
    Gauge("hucheng_test_a", "a", registry=second).set(10)
    push_metrics(second, pushgateway.url, job="cron", grouping_key={"instance": "h1"}, method="pushadd")
    text = pushgateway.metrics_text()
    assert [v for _, v in _samples(text, "hucheng_test_a")] == [10.0]
    assert [v for _, v in _samples(text, "hucheng_test_b")] == [2.0]

    push_metrics(second, pushgateway.url, job="cron", grouping_key={"instance": "h1"}, method="push")
    text = pushgateway.metrics_text()
    assert [v for _, v in _samples(text, "hucheng_test_a")] == [10.0]
    assert _samples(text, "hucheng_test_b") == []


def test_gateway_rejection_is_a_metrics_error(pushgateway) -> None:
    registry = new_registry()
    Gauge("hucheng_test_kind", "k", registry=registry).set(1)
    with pytest.raises(MetricsError) as info:  # "bad-name" is not a valid label name: 400
        push_metrics(registry, pushgateway.url, job="cron", grouping_key={"bad-name": "x"})
    message = str(info.value)
    assert "\n" not in message
    assert pushgateway.url in message
    assert "HTTP 400" in message


def test_push_to_dead_port_names_the_url(pushgateway) -> None:
    port = pushgateway.port
    pushgateway.stop()
    registry = new_registry()
    Gauge("hucheng_test_gauge", "g", registry=registry).set(1)
    url = f"http://127.0.0.1:{port}"
    with pytest.raises(MetricsError) as info:
        push_metrics(registry, url, job="cron", grouping_key={"instance": "h3"}, timeout=2)
    assert "\n" not in str(info.value)
    assert f"{url}/metrics/job/cron/instance/h3" in str(info.value)
