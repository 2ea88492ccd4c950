"""``tianyan serve``: a scheduler (each check on its own interval, rules every evaluation interval,
notify ticks) and an HTTP endpoint with ``/metrics``, ``/api/alerts`` and ``/-/healthy``.

:class:`Service` runs in the calling thread until :meth:`Service.stop` (the CLI wires SIGTERM and
SIGINT to it); the HTTP server runs in a daemon thread and only reads what the scheduler published.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest

from hucheng.durations import parse_duration
from tianyan.checks.base import CheckResult
from tianyan.errors import TianyanError
from tianyan.exposition import SamplesCollector
from tianyan.model import Sample
from tianyan.monitor import Monitor
from tianyan.rules.alerts import AlertStates
from tianyan.views import alerts_json

log = logging.getLogger(__name__)


class Service:
    def __init__(
        self, monitor: Monitor, *, evaluation_interval: float, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.monitor = monitor
        self.evaluation_interval = evaluation_interval
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._latest: dict[str, CheckResult] = {}
        self._states = AlertStates()
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(SamplesCollector(self._samples))
        self.registry.register(SamplesCollector(self._alert_series))
        self._evaluations = Counter(
            "tianyan_rule_evaluations_total", "rule evaluations", registry=self.registry
        )
        self._eval_failures = Counter(
            "tianyan_rule_evaluation_failures_total", "rule query failures", registry=self.registry
        )
        self._firing = Gauge("tianyan_alerts_firing", "alerts firing now", registry=self.registry)
        self._httpd = ThreadingHTTPServer((host, port), self._handler())
        self._httpd.daemon_threads = True
        self.port = int(self._httpd.server_address[1])
        self.url = f"http://{host}:{self.port}"
        self._http_thread = threading.Thread(
            target=self._httpd.serve_forever, name="tianyan-http", daemon=True
        )

    def _samples(self) -> Iterator[Sample]:
        with self._lock:
            latest = list(self._latest.values())
        for result in latest:
            yield from result.samples

    def _alert_series(self) -> Iterator[Sample]:
        """``tianyan_alert{alertname, alertstate, ...} 1`` for pending and firing alerts: Prometheus'
        ALERTS under tianyan's own name (a scraping Prometheus keeps ALERTS for its own rules)."""
        with self._lock:
            states = self._states
        now = datetime.now(UTC)
        for alert in states.alerts.values():
            if alert.state.value in ("pending", "firing"):
                yield Sample("tianyan_alert", {**alert.labels, "alertstate": alert.state.value}, 1.0, now)

    def alerts_body(self) -> dict[str, Any]:
        with self._lock:
            states = self._states
        return {
            "status": "success",
            "evaluated_at": states.evaluated_at.isoformat() if states.evaluated_at else None,
            "data": {"alerts": json.loads(json.dumps(alerts_json(states.alerts.values()), default=str))},
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                if path == "/metrics":
                    self._send(200, generate_latest(service.registry), "text/plain; version=0.0.4")
                elif path == "/api/alerts":
                    self._send(200, json.dumps(service.alerts_body()).encode(), "application/json")
                elif path in ("/-/healthy", "/-/ready"):
                    self._send(200, b"OK\n", "text/plain")
                else:
                    self._send(404, b"not found: try /metrics, /api/alerts, /-/healthy\n", "text/plain")

            def _send(self, code: int, body: bytes, content_type: str) -> None:
                self.send_response(code)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                log.debug("http: " + format, *args)

        return Handler

    def stop(self) -> None:
        self._stop.set()

    def _run_due(self, next_run: dict[str, float], now: float) -> None:
        checks = self.monitor.checks()
        due = [c for c in checks if next_run.get(c.name, 0.0) <= now]
        if not due:
            return
        for c in due:
            next_run[c.name] = now + c.interval_seconds
        for result in self.monitor.run_checks(due):
            with self._lock:
                self._latest[result.name] = result

    def _evaluate(self, due: list[str]) -> None:
        now = datetime.now(UTC)
        try:
            outcome = self.monitor.evaluate(now, due)
        except TianyanError as exc:
            self._eval_failures.inc()
            log.error("rule evaluation failed: %s", exc)
            return
        self._evaluations.inc()
        self._eval_failures.inc(len(outcome.errors))
        with self._lock:
            self._states = outcome.states
        self._firing.set(len(outcome.states.firing()))

    def run(self) -> None:
        """Serve and schedule until :meth:`stop`."""
        self._http_thread.start()
        sink = self.monitor.sink
        start = time.monotonic()
        jitter = parse_duration(self.monitor.config.jitter).total_seconds()
        next_run = {c.name: start + random.uniform(0, jitter) for c in self.monitor.checks()}
        # each group on its own `interval`, else the evaluation interval (as Prometheus' global one)
        intervals = {g.name: g.interval_seconds or self.evaluation_interval for g in self.monitor.groups}
        next_eval = dict.fromkeys(intervals, start)
        try:
            while not self._stop.is_set():
                now = time.monotonic()
                self._run_due(next_run, now)
                due = [name for name, at in next_eval.items() if at <= now]
                if due:  # no rule files: nothing to evaluate
                    self._evaluate(due)
                    for name in due:
                        next_eval[name] = now + intervals[name]
                wake = min([*next_eval.values(), *next_run.values(), now + 1.0]) - time.monotonic()
                if sink is not None and hasattr(sink, "tick"):
                    try:
                        sink.tick(datetime.now(UTC))
                    except TianyanError as exc:  # delivery trouble must not stop the checks
                        log.error("notify: %s", exc)
                    send_at = sink.next_due() if hasattr(sink, "next_due") else None
                    if send_at is not None:  # a group_wait or retry ends before the next check
                        wake = min(wake, (send_at - datetime.now(UTC)).total_seconds())
                self._stop.wait(max(0.01, min(wake, 1.0)))
        finally:
            self._httpd.shutdown()
            self._httpd.server_close()
