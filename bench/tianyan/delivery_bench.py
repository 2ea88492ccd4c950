"""Delivery: tianyan's notify pipeline against Alertmanager, to the same local webhook, in one run.

    python bench/tianyan/delivery_bench.py [--groups 500]

* throughput: ``--groups`` alerts, each its own group (``group_by: [instance]``), until the webhook
  has every notification. tianyan: ``process`` + ``flush`` (outbox written to SQLite before each
  send, sends in parallel). Alertmanager: the same alerts POSTed to ``/api/v2/alerts``, ``group_wait``
  set to 1ms (it waits at least that; its dispatcher then sends).
* latency: one new alert to the webhook receiving it, ``group_wait`` ~0 on both sides, median of
  ``--latency-runs`` runs.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import queue
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def _serve_hook(port: Any, events: Any) -> None:
    """The webhook, in its own process (so its Python does not compete with the sender's)."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            events.put((time.perf_counter(), [a["labels"]["alertname"] for a in body["alerts"]]))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    class Server(ThreadingHTTPServer):
        request_queue_size = 1024  # Alertmanager opens one connection per group at once
        daemon_threads = True

    server = Server(("127.0.0.1", 0), Handler)
    port.value = server.server_address[1]
    server.serve_forever(0.05)


class Hook:
    """A webhook that counts notifications and remembers when each alertname first arrived
    (time.perf_counter is the system's monotonic clock, the same in both processes)."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        port = ctx.Value("i", 0)
        self.events = ctx.Queue()
        self.process = ctx.Process(target=_serve_hook, args=(port, self.events), daemon=True)
        self.process.start()
        while port.value == 0:
            if not self.process.is_alive():
                raise RuntimeError("the webhook process did not start")
            time.sleep(0.01)
        self.url = f"http://127.0.0.1:{port.value}/hook"
        self.notifications = 0
        self.last_at = 0.0
        self.first_seen: dict[str, float] = {}

    def _drain(self, timeout: float) -> None:
        try:
            at, names = self.events.get(timeout=timeout)
        except queue.Empty:
            return
        self.notifications += 1
        self.last_at = max(self.last_at, at)
        for name in names:
            self.first_seen.setdefault(name, at)

    def wait(self, notifications: int, timeout: float = 300) -> float:
        end = time.perf_counter() + timeout
        while self.notifications < notifications:
            if time.perf_counter() > end:
                raise TimeoutError(f"webhook got {self.notifications} of {notifications} notifications")
            self._drain(0.5)
        return self.last_at

    def wait_for(self, name: str, timeout: float = 30) -> float:
        end = time.perf_counter() + timeout
        while name not in self.first_seen:
            if time.perf_counter() > end:
                raise TimeoutError(f"{name} never arrived")
            self._drain(0.5)
        return self.first_seen[name]

    def stop(self) -> None:
        self.process.terminate()
        self.process.join()


def routing_yaml(url: str, group_wait: str) -> dict[str, Any]:
    return {
        "route": {
            "receiver": "hook",
            "group_by": ["instance"],
            "group_wait": group_wait,
            "group_interval": "5m",
            "repeat_interval": "4h",
        },
        "receivers": [{"name": "hook", "webhook_configs": [{"url": url, "send_resolved": True}]}],
    }


def tianyan_pipeline(workdir: Path, url: str) -> Any:
    import yaml

    from hucheng.store import open_store
    from tianyan.notify.amconfig import load_routing
    from tianyan.notify.config import NotifyConfig
    from tianyan.notify.pipeline import NotifyPipeline

    path = workdir / "am.yml"
    path.write_text(yaml.safe_dump(routing_yaml(url, "0s")))
    store = open_store(f"sqlite:///{workdir / 'h.db'}")
    return NotifyPipeline(load_routing(path), store, NotifyConfig(language="en"), rng=random.Random(1)), store


def alerts(n: int, name: str) -> list[Any]:
    from tianyan.model import Alert

    now = datetime.now(UTC)
    return [
        Alert({"alertname": name, "instance": f"{name}-{i}"}, {"summary": "bench"}, starts_at=now)
        for i in range(n)
    ]


def am_alerts(n: int, name: str) -> list[dict[str, Any]]:
    now = datetime.now(UTC).isoformat()
    return [{"labels": {"alertname": name, "instance": f"{name}-{i}"}, "annotations": {"summary": "bench"},
             "startsAt": now} for i in range(n)]  # fmt: skip


def bench_tianyan(groups: int, runs: int) -> tuple[float, list[float]]:
    hook = Hook()
    with tempfile.TemporaryDirectory() as tmp:
        pipeline, store = tianyan_pipeline(Path(tmp), hook.url)
        with store:
            start = time.perf_counter()
            pipeline.process(alerts(groups, "Throughput"), datetime.now(UTC))
            pipeline.flush(datetime.now(UTC))
            took = hook.wait(groups) - start
            latencies = []
            for i in range(runs):
                name = f"Latency{i}"
                t0 = time.perf_counter()
                pipeline.process(alerts(1, name), datetime.now(UTC))
                pipeline.tick(datetime.now(UTC))  # what `serve` does every second at most
                latencies.append(hook.wait_for(name) - t0)
    hook.stop()
    return groups / took, latencies


def bench_alertmanager(groups: int, runs: int) -> tuple[float, list[float]] | None:
    from realservers.alertmanager import start_alertmanager
    from realservers.binaries import find_binary
    from realservers.fetch import post_json

    binary = find_binary("prometheus-alertmanager") or find_binary("alertmanager")
    if binary is None:
        print("  (prometheus-alertmanager not installed: no side-by-side figures)")
        return None
    hook = Hook()
    with tempfile.TemporaryDirectory() as tmp:
        am = start_alertmanager(binary, Path(tmp), config=routing_yaml(hook.url, "1ms"))
        try:
            start = time.perf_counter()
            post_json(f"{am.url}/api/v2/alerts", am_alerts(groups, "Throughput"))
            took = hook.wait(groups) - start
            latencies = []
            for i in range(runs):
                name = f"Latency{i}"
                t0 = time.perf_counter()
                post_json(f"{am.url}/api/v2/alerts", am_alerts(1, name))
                latencies.append(hook.wait_for(name) - t0)
        finally:
            am.stop()
            hook.stop()
    return groups / took, latencies


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--groups", type=int, default=500)
    parser.add_argument("--latency-runs", type=int, default=20)
    args = parser.parse_args()
    ours, our_lat = bench_tianyan(args.groups, args.latency_runs)
    theirs = bench_alertmanager(args.groups, args.latency_runs)
    print(f"delivery of {args.groups} groups (one notification each) to a local webhook:")
    print(f"  tianyan (outbox in SQLite)  {ours:8.0f} notifications/s")
    if theirs is not None:
        print(f"  Alertmanager                {theirs[0]:8.0f} notifications/s")
        print(f"  ratio tianyan/Alertmanager  {ours / theirs[0]:8.2f}x")
    print(f"new alert -> webhook, median of {args.latency_runs} (group_wait ~0):")
    print(f"  tianyan                     {statistics.median(our_lat) * 1000:8.1f} ms")
    if theirs is not None:
        print(f"  Alertmanager                {statistics.median(theirs[1]) * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
