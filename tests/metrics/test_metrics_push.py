"""Push errors that need no Pushgateway; pushing to a real one is in tests/integration."""

from __future__ import annotations

import pytest
from prometheus_client import Gauge

from hucheng.errors import MetricsError
from hucheng.metrics import PushMethod, delete_metrics, new_registry, push_metrics


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_push_to_a_dead_port_is_a_one_line_metrics_error() -> None:
    registry = new_registry()
    Gauge("hucheng_test_gauge", "g", registry=registry).set(1)
    url = f"http://127.0.0.1:{_closed_port()}"
    with pytest.raises(MetricsError) as info:
        push_metrics(registry, url, job="cron", grouping_key={"instance": "a"}, timeout=2)
    message = str(info.value)
    assert "\n" not in message
    assert f"{url}/metrics/job/cron/instance/a" in message
    assert "Pushgateway is running" in message
    assert info.value.__cause__ is not None


def test_delete_from_a_dead_port_is_a_metrics_error() -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    with pytest.raises(MetricsError, match="cannot reach the Pushgateway"):
        delete_metrics(url, job="cron", grouping_key={}, timeout=2)


def test_bad_method_job_and_grouping_key() -> None:
    registry = new_registry()
    with pytest.raises(MetricsError, match="push, pushadd"):
        push_metrics(registry, "http://127.0.0.1:9", job="j", grouping_key={}, method="post")
    with pytest.raises(MetricsError, match="job"):
        push_metrics(registry, "http://127.0.0.1:9", job="", grouping_key={})
    with pytest.raises(MetricsError, match="grouping key"):
        push_metrics(registry, "http://127.0.0.1:9", job="j", grouping_key={"instance": ""})


def test_push_method_values() -> None:
    assert [m.value for m in PushMethod] == ["push", "pushadd"]
    assert PushMethod("pushadd") is PushMethod.PUSHADD
