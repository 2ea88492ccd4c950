"""Suite-wide fixtures: real servers on 127.0.0.1 (see docs/testing.md and tests/realservers/).

A test that uses one of the server fixtures below is marked ``integration`` automatically, so
``pytest -m "not integration"`` leaves it out. A missing binary skips the test, or fails it when
``CI=true``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # makes tests/realservers importable

from realservers.alertmanager import AlertmanagerServer, start_alertmanager
from realservers.binaries import require_binary
from realservers.nginx import NginxServer, start_nginx
from realservers.prometheus import PrometheusServer, start_prometheus
from realservers.pushgateway import PushgatewayServer, start_pushgateway
from realservers.redis import RedisServer, start_redis
from realservers.static_http import StaticHTTPServer, start_static_http

#: fixtures that start an external binary; a test using one is an integration test
SERVER_FIXTURES = frozenset(
    {"prometheus_server", "pushgateway", "alertmanager", "redis_server", "nginx_server"}
)


@pytest.fixture(autouse=True)
def _no_hucheng_settings_from_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests set the HUCHENG_* variables they mean; the shell's (or a lego run's: the repository's own
    .lego.yml runs this suite with HUCHENG_HOME set) must not leak into them."""
    import os

    for name in [n for n in os.environ if n.startswith("HUCHENG_")]:
        monkeypatch.delenv(name)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # tryfirst: the marker must be there before `-m` deselects
    for item in items:
        if SERVER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)


@pytest.fixture
def prometheus_server(tmp_path: Path) -> Iterator[Callable[..., PrometheusServer]]:
    """A factory: ``prometheus_server(scrape_targets=[...], rule_files=[...], ...)`` -> PrometheusServer.

    Keyword arguments are those of :func:`realservers.prometheus.start_prometheus`. Every server
    started is stopped at the end of the test.
    """
    binary = require_binary("prometheus")
    started: list[PrometheusServer] = []

    def start(**kwargs: Any) -> PrometheusServer:
        server = start_prometheus(binary, tmp_path / f"prometheus-{len(started)}", **kwargs)
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def pushgateway(tmp_path: Path) -> Iterator[PushgatewayServer]:
    """A Pushgateway on 127.0.0.1 (``.url``, ``.port``, ``.metrics_text()``, ``.groups()``)."""
    server = start_pushgateway(require_binary("prometheus-pushgateway"), tmp_path / "pushgateway")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def alertmanager(tmp_path: Path) -> Iterator[AlertmanagerServer]:
    """An Alertmanager on 127.0.0.1, clustering off, one webhook receiver (``.url``, ``.post_alerts()``)."""
    server = start_alertmanager(require_binary("prometheus-alertmanager"), tmp_path / "alertmanager")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server on 127.0.0.1 without persistence (``.host``, ``.port``, ``.url``, ``.ping()``)."""
    server = start_redis(require_binary("redis-server"), tmp_path / "redis")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def static_http_server(tmp_path: Path) -> Iterator[StaticHTTPServer]:
    """An in-process HTTP server on 127.0.0.1 serving ``.root`` (a tmp dir). Needs no binary."""
    server = start_static_http(tmp_path / "static")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def nginx_server(tmp_path: Path) -> Iterator[NginxServer]:
    """nginx on 127.0.0.1 serving ``.root`` (a tmp dir), everything it writes inside tmp_path."""
    server = start_nginx(require_binary("nginx"), tmp_path / "nginx", tmp_path / "www")
    try:
        yield server
    finally:
        server.stop()
