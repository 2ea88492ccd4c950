"""Smoke tests for each real-server fixture, so a broken fixture shows up here first."""

from __future__ import annotations

import socket

import pytest
from realservers.fetch import get_text, http_get
from realservers.redis import redis_command

pytestmark = pytest.mark.integration


def test_alertmanager_accepts_and_lists_an_alert(alertmanager) -> None:
    assert http_get(f"{alertmanager.url}/-/ready")[0] == 200
    status = alertmanager.post_alerts(
        [
            {
                "labels": {"alertname": "HuchengSmoke", "severity": "warning"},
                "annotations": {"summary": "smoke"},
            }
        ]
    )
    assert status == 200
    alerts = alertmanager.alerts()
    assert [a["labels"]["alertname"] for a in alerts] == ["HuchengSmoke"]
    assert alerts[0]["annotations"] == {"summary": "smoke"}
    assert alerts[0]["status"]["state"] in {"active", "unprocessed"}


def test_redis_answers_ping_over_a_raw_socket(redis_server) -> None:
    with socket.create_connection((redis_server.host, redis_server.port), timeout=2) as sock:
        sock.sendall(b"PING\r\n")
        assert sock.recv(64) == b"+PONG\r\n"
    assert redis_command(redis_server.port, "SET", "hucheng:k", "v") == b"+OK"
    assert redis_server.url == f"redis://127.0.0.1:{redis_server.port}/0"


def test_static_http_server_serves_a_file(static_http_server) -> None:
    (static_http_server.root / "index.html").write_text("<h1>hucheng static</h1>")
    assert get_text(f"{static_http_server.url}/index.html") == "<h1>hucheng static</h1>"


def test_nginx_serves_a_file(nginx_server) -> None:
    (nginx_server.root / "page.html").write_text("<p>served by nginx</p>")
    status, body = http_get(f"{nginx_server.url}/page.html")
    assert status == 200
    assert body == b"<p>served by nginx</p>"


def test_prometheus_fixture_starts_empty(prometheus_server) -> None:
    prom = prometheus_server()
    assert prom.url == f"http://127.0.0.1:{prom.port}"
    # Prometheus does not scrape itself here: no targets, so no `up` series
    assert prom.query("up") == []
    assert [sample["value"][1] for sample in prom.query("vector(1)")] == ["1"]
