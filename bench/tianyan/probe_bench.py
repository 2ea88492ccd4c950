"""Probe throughput: tianyan's http checks against prometheus-blackbox-exporter, same targets, same
concurrency, side by side in one run.

    python bench/tianyan/probe_bench.py [--targets 1000] [--concurrency 32] [--json]

Targets are N distinct small files on a local nginx. tianyan runs the N checks with
``run_checks(concurrency=C)`` in a fresh process (its peak RSS is that process' ru_maxrss).
blackbox_exporter gets the same N probes as ``/probe?module=http_2xx&target=URL`` from C client
threads (as Prometheus would scrape it); its peak RSS is VmHWM of the exporter process. Both must
report every probe as successful. Aims (issue 3): tianyan >= 0.5x blackbox's probes/s; <= 150 MB.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from realservers.nginx import start_nginx  # noqa: E402
from realservers.ports import free_port  # noqa: E402

TIANYAN_CHILD = """
import json, resource, sys, time
from pydantic import TypeAdapter
from tianyan.checks.kinds import AnyCheck
from tianyan.checks.runner import run_checks
urls, concurrency = json.loads(sys.argv[1]), int(sys.argv[2])
adapter = TypeAdapter(AnyCheck)
checks = [adapter.validate_python({"name": f"t{i}", "kind": "http", "url": u, "timeout": "10s"})
          for i, u in enumerate(urls)]
t0 = time.perf_counter()
results = run_checks(checks, concurrency=concurrency)
elapsed = time.perf_counter() - t0
ok = sum(r.success for r in results)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "ok": ok, "maxrss_kb": rss}))
"""


def run_tianyan(urls: list[str], concurrency: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", TIANYAN_CHILD, json.dumps(urls), str(concurrency)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def vm_hwm_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def run_blackbox(binary: str, urls: list[str], concurrency: int, work: Path) -> dict[str, Any]:
    import requests

    config = work / "blackbox.yml"
    config.write_text("modules:\n  http_2xx:\n    prober: http\n    timeout: 10s\n")
    port = free_port()
    proc = subprocess.Popen(
        [binary, f"--config.file={config}", f"--web.listen-address=127.0.0.1:{port}", "--log.level=error"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(f"{base}/-/healthy", timeout=1).raise_for_status()
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        session_pool = [requests.Session() for _ in range(concurrency)]

        def probe(i: int) -> bool:
            session = session_pool[i % concurrency]
            body = session.get(
                f"{base}/probe", params={"module": "http_2xx", "target": urls[i]}, timeout=15
            ).text
            return "\nprobe_success 1" in body

        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            ok = sum(pool.map(probe, range(len(urls))))
        elapsed = time.perf_counter() - t0
        for s in session_pool:
            s.close()
        return {"seconds": elapsed, "ok": ok, "maxrss_kb": vm_hwm_kb(proc.pid)}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--targets", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    nginx_bin = shutil.which("nginx") or "/usr/sbin/nginx"
    blackbox = shutil.which("prometheus-blackbox-exporter")
    if not blackbox:
        print("prometheus-blackbox-exporter is not installed (apt-get install prometheus-blackbox-exporter)")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        www = work / "www"
        www.mkdir()
        for i in range(args.targets):
            (www / f"t{i}.html").write_text(f"target {i}\n")
        # the fixture's nginx allows 64 connections: keep --concurrency at or below 32
        nginx = start_nginx(nginx_bin, work / "nginx", www)
        try:
            urls = [f"{nginx.url}/t{i}.html" for i in range(args.targets)]
            ours = run_tianyan(urls, args.concurrency)
            theirs = run_blackbox(blackbox, urls, args.concurrency, work)
        finally:
            nginx.stop()
    n = args.targets
    report = {
        "targets": n,
        "concurrency": args.concurrency,
        "tianyan": {**ours, "probes_per_second": n / ours["seconds"]},
        "blackbox": {**theirs, "probes_per_second": n / theirs["seconds"]},
    }
    report["ratio_probes_per_second"] = (
        report["tianyan"]["probes_per_second"] / report["blackbox"]["probes_per_second"]
    )
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{n} HTTP targets on a local nginx, concurrency {args.concurrency}:")
    for name in ("tianyan", "blackbox"):
        r = report[name]
        print(
            f"  {name:<9} {r['probes_per_second']:8.0f} probes/s  {r['seconds']:6.2f} s  "
            f"ok {r['ok']}/{n}  peak RSS {r['maxrss_kb'] / 1024:6.1f} MB"
        )
    print(f"  ratio tianyan/blackbox  {report['ratio_probes_per_second']:.2f}x probes/s")
    return 0 if ours["ok"] == n and theirs["ok"] == n else 1


if __name__ == "__main__":
    raise SystemExit(main())
