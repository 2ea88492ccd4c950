from __future__ import annotations

import socket
from urllib.request import urlopen

import pytest
from prometheus_client import Gauge
from prometheus_client.parser import text_string_to_metric_families

from hucheng.errors import MetricsError
from hucheng.metrics import new_registry, record_run, serve_metrics


def _get(url: str) -> tuple[int, str, str]:
    with urlopen(url, timeout=5) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read().decode()


def test_served_metrics_parse_back() -> None:
    registry = new_registry()
    Gauge("hucheng_test_temperature_celsius", "t", ["site"], registry=registry).labels(site="bj").set(21.5)
    record_run(registry, tool="tianyan", status="ok", duration_seconds=0.75, started=1000.0)
    with serve_metrics(registry) as server:
        assert server.port > 0
        assert server.url == f"http://127.0.0.1:{server.port}/metrics"
        status, content_type, text = _get(server.url)
    assert status == 200
    assert content_type.startswith("text/plain")
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }
    assert samples[("hucheng_test_temperature_celsius", (("site", "bj"),))] == 21.5
    assert samples[("hucheng_run_duration_seconds", (("tool", "tianyan"),))] == 0.75
    assert samples[("hucheng_run_success", (("tool", "tianyan"),))] == 1.0


def test_served_registry_is_only_that_registry() -> None:
    mine, other = new_registry(), new_registry()
    Gauge("hucheng_test_mine", "m", registry=mine).set(1)
    Gauge("hucheng_test_other", "o", registry=other).set(1)
    with serve_metrics(mine) as server:
        text = _get(server.url)[2]
    names = {family.name for family in text_string_to_metric_families(text)}
    assert names == {"hucheng_test_mine"}


def test_close_releases_the_port_and_is_idempotent() -> None:
    server = serve_metrics(new_registry())
    port = server.port
    server.close()
    server.close()
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))  # raises EADDRINUSE while the server still listens
        sock.listen()
        assert sock.getsockname()[1] == port


def test_port_in_use_is_a_metrics_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with pytest.raises(MetricsError, match=f"127.0.0.1:{port}") as info:
            serve_metrics(new_registry(), port=port)
    assert "\n" not in str(info.value)
    assert isinstance(info.value.__cause__, OSError)
