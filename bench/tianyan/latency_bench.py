"""Fault-to-delivery latency: a local HTTP service starts failing; how long until the alert reaches a
local webhook, beyond `for` (0 here) and `group_wait` (1s)? tianyan's `serve` loop with the notify
pipeline, against Alertmanager given the same alert with the same group_wait, in one run.

    python bench/tianyan/latency_bench.py [--rounds 5] [--json]

tianyan: checks every 200ms, rules every 200ms (`tianyan serve --evaluation-interval 200ms`), route
`group_wait: 1s`. Latency = webhook receipt - the moment the service starts answering 500 - 1s.
Alertmanager: the alert is POSTed to /api/v2/alerts at the fault moment (as Prometheus would, after
its own scrape and evaluation); latency = webhook receipt - POST - 1s. Aim (issue 3): <= 1 s.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

GROUP_WAIT = 1.0


class Target:
    """An HTTP service whose health we switch: 200 while healthy, 500 while failing."""

    def __init__(self) -> None:
        self.healthy = True
        target = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                code = 200 if target.healthy else 500
                self.send_response(code)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


class Webhook:
    """Records (receipt time, status, alertnames) of every POST."""

    def __init__(self) -> None:
        self.received: list[tuple[float, str, list[str]]] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                names = [a["labels"].get("alertname", "") for a in body.get("alerts", [])]
                hook.received.append((time.monotonic(), body.get("status", ""), names))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def wait(self, status: str, after: float, timeout: float = 30) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for t, s, _ in self.received:
                if s == status and t > after:
                    return t
            time.sleep(0.005)
        raise TimeoutError(f"no {status} notification within {timeout}s")


def routing(path: Path, hook: str) -> None:
    path.write_text(
        "route:\n  receiver: hook\n  group_by: [alertname]\n"
        f"  group_wait: {GROUP_WAIT:g}s\n  group_interval: 1s\n  repeat_interval: 1h\n"
        "receivers:\n  - name: hook\n    webhook_configs:\n"
        f"      - url: {hook}\n        send_resolved: true\n"
    )


def bench_tianyan(rounds: int, work: Path) -> list[float]:
    from hucheng.config import load_config
    from hucheng.store import open_store
    from tianyan.monitor import Monitor
    from tianyan.server import Service
    from tianyan.sink import build_sink

    work.mkdir(parents=True, exist_ok=True)
    target, hook = Target(), Webhook()
    (work / "rules.yml").write_text(
        "groups:\n- name: g\n  rules:\n  - alert: Down\n    expr: probe_success == 0\n"
    )
    routing(work / "am.yml", hook.url)
    cfg = work / "hucheng.yaml"
    cfg.write_text(
        f"home: {work}\ntianyan:\n  checks:\n"
        f"    - {{name: svc, kind: http, url: '{target.url}', interval: 200ms, timeout: 2s}}\n"
        f"  rules:\n    files: ['{work / 'rules.yml'}']\n"
        f"  notify:\n    alertmanager_config: '{work / 'am.yml'}'\n"
    )
    settings = load_config(cfg).settings
    latencies: list[float] = []
    holder: list[Service] = []
    ready = threading.Event()

    def serve() -> None:
        with open_store(settings.store_url) as store:
            holder.append(
                Service(
                    Monitor.build(settings.tianyan, store, build_sink(settings, store)),
                    evaluation_interval=0.2,
                )
            )
            ready.set()
            holder[0].run()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    ready.wait(10)
    try:
        time.sleep(1.0)
        for _ in range(rounds):
            fault = time.monotonic()
            target.healthy = False
            got = hook.wait("firing", fault)
            latencies.append(got - fault - GROUP_WAIT)
            target.healthy = True
            hook.wait("resolved", got)
            time.sleep(0.5)
    finally:
        holder[0].stop()
        thread.join(timeout=10)
    return latencies


def bench_alertmanager(rounds: int, work: Path) -> list[float]:
    import requests
    from realservers.ports import free_port

    binary = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")
    if binary is None:
        return []
    hook = Webhook()
    routing(work / "alertmanager.yml", hook.url)
    port = free_port()
    import subprocess

    proc = subprocess.Popen(
        [
            binary,
            f"--config.file={work / 'alertmanager.yml'}",
            f"--storage.path={work / 'am-data'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--cluster.listen-address=",
            "--log.level=error",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(f"{base}/-/ready", timeout=1).raise_for_status()
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        latencies = []
        for i in range(rounds):
            labels = {"alertname": f"Down{i}"}
            fault = time.monotonic()
            requests.post(f"{base}/api/v2/alerts", json=[{"labels": labels}], timeout=5).raise_for_status()
            got = hook.wait("firing", fault)
            latencies.append(got - fault - GROUP_WAIT)
        return latencies
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ours = bench_tianyan(args.rounds, Path(tmp) / "t")
        theirs = bench_alertmanager(args.rounds, Path(tmp))
    report = {
        "group_wait_seconds": GROUP_WAIT,
        "tianyan_seconds_beyond_group_wait": ours,
        "alertmanager_seconds_beyond_group_wait": theirs,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"fault to webhook delivery beyond group_wait ({GROUP_WAIT:g}s), {args.rounds} rounds:")
    med, top = statistics.median(ours), max(ours)
    print(f"  tianyan (detect + evaluate + deliver)  median {med:.3f} s  max {top:.3f} s")
    if theirs:
        med, top = statistics.median(theirs), max(theirs)
        print(f"  Alertmanager (deliver only)            median {med:.3f} s  max {top:.3f} s")
    else:
        print("  Alertmanager: not installed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
