"""Real components: Prometheus scrapes `tianyan serve` and evaluates the same rule file (the firing sets
must match); tianyan evaluates the rules through that Prometheus; a Pushgateway gets --push; serve
stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import pytest
from pydantic import TypeAdapter

import cli
from hucheng.store import open_store
from tianyan.checks.kinds import AnyCheck
from tianyan.checks.runner import run_one
from tianyan.config import TianyanConfig
from tianyan.monitor import Monitor
from tianyan.server import Service

RULES = """
groups:
  - name: compare
    rules:
      - alert: EndpointDown
        expr: probe_success == 0
        labels: {severity: critical}
        annotations: {summary: "{{ $labels.instance }} is down"}
      - alert: CheckFailing
        expr: count by (check) (tianyan_check_success == 0) > 0
      - alert: BadStatus
        expr: max by (check, instance) (probe_http_status_code) >= 400
      - alert: AllFine
        expr: absent(probe_success == 0)
"""

Firing = set[tuple[str, frozenset[tuple[str, str]]]]


def firing_set(alerts: Iterable[Mapping[str, str]]) -> Firing:
    """(alertname, labels) without what a scrape adds (job) and ALERTS' own __name__/alertstate."""
    out: Firing = set()
    for labels in alerts:
        rest = {k: v for k, v in labels.items() if k not in ("__name__", "alertname", "alertstate", "job")}
        out.add((labels["alertname"], frozenset(rest.items())))
    return out


def checks_config(tmp_path: Path, static_url: str, **extra: Any) -> TianyanConfig:
    rules = tmp_path / "rules.yml"
    rules.write_text(RULES)
    return TianyanConfig.model_validate(
        {
            "checks": [
                {"name": "shop", "kind": "http", "url": f"{static_url}/up.html", "interval": "1s"},
                {"name": "pay", "kind": "http", "url": f"{static_url}/missing", "interval": "1s"},
            ],
            "rules": {"files": [str(rules)], **extra},
        }
    )


def test_prometheus_scraping_tianyan_fires_the_same_alerts(
    tmp_path: Path, static_http_server: Any, prometheus_server: Any
) -> None:
    (static_http_server.root / "up.html").write_text("ok")
    config = checks_config(tmp_path, static_http_server.url)
    started: list[Service] = []
    ready = threading.Event()

    def serve() -> None:  # SQLite objects stay in the thread that made them: open the store here
        with open_store(f"sqlite:///{tmp_path / 'a.db'}") as store:
            started.append(Service(Monitor.build(config, store), evaluation_interval=0.5))
            ready.set()
            started[0].run()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(10)
    service = started[0]
    try:
        prom = prometheus_server(
            rule_files=[tmp_path / "rules.yml"],
            extra_scrape_configs=[
                {
                    "job_name": "tianyan",
                    "honor_labels": True,
                    "scrape_interval": "1s",
                    "static_configs": [{"targets": [f"127.0.0.1:{service.port}"]}],
                }
            ],
        )
        expected = {"EndpointDown", "CheckFailing", "BadStatus"}  # AllFine may fire before the 1st scrape
        result = prom.wait_for(
            'ALERTS{alertstate="firing"}',
            lambda r: {item["metric"]["alertname"] for item in r} == expected,
            timeout=60,
        )
        theirs = firing_set(item["metric"] for item in result)
        with urlopen(f"{service.url}/api/alerts", timeout=5) as response:
            body = json.load(response)
        ours = firing_set(
            {**a["labels"], "alertname": a["alertname"]}
            for a in body["data"]["alerts"]
            if a["state"] == "firing"
        )
        assert ours == theirs
        assert {name for name, _ in ours} == {"EndpointDown", "CheckFailing", "BadStatus"}
        with urlopen(f"{service.url}/-/healthy", timeout=5) as response:
            assert response.read() == b"OK\n"
        with urlopen(f"{service.url}/metrics", timeout=5) as response:
            metrics = response.read().decode()
        assert 'probe_http_status_code{check="pay",instance="' in metrics
        assert 'tianyan_alert{alertname="CheckFailing",alertstate="firing",check="pay"} 1.0' in metrics

        # the same rules, evaluated by tianyan through this Prometheus' HTTP API
        remote = checks_config(tmp_path, static_http_server.url, prometheus_url=prom.url)
        with open_store(f"sqlite:///{tmp_path / 'b.db'}") as other:
            outcome = Monitor.build(remote, other).evaluate(datetime.now(UTC))
        assert outcome.errors == ()
        assert firing_set(a.labels for a in outcome.states.firing()) == theirs

        # and a `prometheus` check turns an instant query on it into samples
        query = {"name": "q", "kind": "prometheus", "url": prom.url, "query": "probe_success"}
        result = run_one(TypeAdapter(AnyCheck).validate_python(query))
        got = {(s.labels["check"], s.value) for s in result.samples if s.name == "probe_success"}
        assert result.success and got == {("shop", 1.0), ("pay", 0.0)}
    finally:
        service.stop()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_check_once_push_reaches_the_pushgateway(
    tmp_path: Path, static_http_server: Any, pushgateway: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    (static_http_server.root / "up.html").write_text("ok")
    cfg = tmp_path / "hucheng.yaml"
    cfg.write_text(
        f"home: {tmp_path}\nmetrics:\n  pushgateway: {pushgateway.url}\n"
        f"tianyan:\n  checks:\n    - {{name: shop, kind: http, url: '{static_http_server.url}/up.html'}}\n"
    )
    assert cli.main(["--config", str(cfg), "tianyan", "check", "--once", "--push", "--format", "json"]) == 0
    capsys.readouterr()
    text = pushgateway.metrics_text()
    lines = [line for line in text.splitlines() if line.startswith("probe_success{")]
    assert len(lines) == 1
    assert 'check="shop"' in lines[0] and 'job="tianyan"' in lines[0] and lines[0].endswith(" 1")


def test_serve_stops_cleanly_on_sigterm(tmp_path: Path, static_http_server: Any) -> None:
    (static_http_server.root / "up.html").write_text("ok")
    cfg = tmp_path / "hucheng.yaml"
    cfg.write_text(
        f"home: {tmp_path}\n"
        f"tianyan:\n  checks:\n    - {{name: shop, kind: http, url: '{static_http_server.url}/up.html'}}\n"
    )
    root = Path(__file__).resolve().parents[2]
    argv = ["--config", str(cfg), "tianyan", "serve", "--port", "0", "--evaluation-interval", "1s"]
    with subprocess.Popen(
        [sys.executable, "-c", "import cli, sys; sys.exit(cli.main(sys.argv[1:]))", *argv],
        cwd=root,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(root)},
    ) as proc:
        try:
            assert proc.stderr is not None
            first = proc.stderr.readline()
            assert first.startswith("tianyan serving on http://127.0.0.1:"), first
            url = first.split()[3]
            deadline = time.monotonic() + 20
            while True:
                with urlopen(f"{url}/metrics", timeout=5) as response:
                    if b'probe_success{check="shop"' in response.read():
                        break
                assert time.monotonic() < deadline, "serve never published the check's samples"
                time.sleep(0.2)
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=20) == 0
            assert "tianyan stopped" in proc.stderr.read()
        finally:
            if proc.poll() is None:
                proc.kill()
