"""Rule evaluation: 100 alerting rules over 10,000 series, tianyan's local evaluator against
Prometheus evaluating the same group, side by side in one run.

    python bench/tianyan/rules_bench.py [--series 10000] [--rules 100] [--json]

A local nginx serves one /metrics page with the series (half gauges, half counters); a real
Prometheus scrapes it every second and evaluates the rule group every second; after 40 s its
``prometheus_rule_group_last_duration_seconds`` is read. tianyan evaluates the same rule file over the
same series (40 samples each, 1 s apart, held in memory: the SQLite read that ``check --once`` adds
is timed separately) — median of 5 evaluations.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from realservers.nginx import start_nginx  # noqa: E402
from realservers.prometheus import start_prometheus  # noqa: E402

SAMPLES_PER_SERIES = 40


def series(n: int) -> list[tuple[str, dict[str, str], float]]:
    out = []
    for i in range(n // 2):
        labels = {"job": f"j{i % 100}", "instance": f"i{i}"}
        out.append(("bench_value", labels, float(i % 100)))
        out.append(("bench_requests_total", labels, float(i)))
    return out


def rules(n: int) -> str:
    lines = ["groups:", "  - name: bench", "    rules:"]
    kinds = [
        'bench_value{{job="j{k}"}} > 10',
        'sum by (job) (rate(bench_requests_total{{job=~"j{k}.*"}}[30s])) > 1',
        'avg_over_time(bench_value{{job="j{k}"}}[30s]) > 90',
        'max by (job) (bench_value{{job="j{k}"}}) / on(job) group_left'
        " max by (job) (bench_requests_total) > 2",
    ]
    for r in range(n):
        expr = kinds[r % len(kinds)].format(k=r % 100)
        lines += [f"      - alert: Bench{r}", f"        expr: '{expr}'"]
    return "\n".join(lines) + "\n"


def exposition(data: list[tuple[str, dict[str, str], float]]) -> str:
    return "".join(
        name + "{" + ",".join(f'{k}="{v}"' for k, v in labels.items()) + "} " + repr(value) + "\n"
        for name, labels, value in data
    )


def local_eval(rule_file: Path, data: list[tuple[str, dict[str, str], float]]) -> dict[str, Any]:
    from tianyan.rules.alerts import AlertStates
    from tianyan.rules.engine import LocalSource, evaluate
    from tianyan.rules.rulefile import load_rule_file
    from tianyan.rules.series import SeriesSet

    groups = load_rule_file(rule_file)
    now = time.time()
    s = SeriesSet()
    for step in range(SAMPLES_PER_SERIES):
        t = now - (SAMPLES_PER_SERIES - 1 - step)
        for name, labels, value in data:
            s.add({**labels, "__name__": name}, t, value)  # constant, as the static page Prometheus scrapes
    durations = []
    firing = 0
    for _ in range(5):
        t0 = time.perf_counter()
        outcome = evaluate(groups, LocalSource(s), AlertStates(), datetime.fromtimestamp(now, UTC))
        durations.append(time.perf_counter() - t0)
        firing = len(outcome.states.firing())
        assert not outcome.errors, outcome.errors[:1]
    return {"seconds": statistics.median(durations), "firing": firing}


def store_read(data: list[tuple[str, dict[str, str], float]], work: Path) -> float:
    """Seconds to read the evaluation window back from SQLite, as check --once does."""
    from datetime import timedelta

    from hucheng.store import Record, open_store
    from tianyan.samples import load_series

    now = datetime.now(UTC)
    with open_store(f"sqlite:///{work / 'bench.db'}") as store:
        records = [
            Record(
                kind="tianyan_samples",
                time=now - timedelta(seconds=SAMPLES_PER_SERIES - 1 - step),
                labels={"check": "bench", "source": "check"},
                data={
                    "source": "check",
                    "samples": [{"name": n, "labels": lb, "value": v} for n, lb, v in data],
                },
            )
            for step in range(SAMPLES_PER_SERIES)
        ]
        store.put(records)
        t0 = time.perf_counter()
        load_series(store, now - timedelta(minutes=6), now)
        return time.perf_counter() - t0


def prometheus_eval(
    rule_file: Path, data: list[tuple[str, dict[str, str], float]], work: Path
) -> dict[str, Any]:
    import requests

    www = work / "www"
    www.mkdir()
    (www / "metrics").write_text(exposition(data))
    nginx = start_nginx(shutil.which("nginx") or "/usr/sbin/nginx", work / "nginx", www)
    try:
        prom = start_prometheus(
            shutil.which("prometheus") or "prometheus",
            work / "prometheus",
            rule_files=[rule_file],
            extra_scrape_configs=[
                {
                    "job_name": "bench",
                    "honor_labels": True,
                    "scrape_interval": "1s",
                    "static_configs": [{"targets": [nginx.url.removeprefix("http://")]}],
                }
            ],
        )
        try:
            time.sleep(SAMPLES_PER_SERIES + 2)
            values = []
            for _ in range(5):  # Prometheus' own /metrics (it does not scrape itself here)
                text = requests.get(f"{prom.url}/metrics", timeout=10).text
                line = next(
                    x
                    for x in text.splitlines()
                    if x.startswith("prometheus_rule_group_last_duration_seconds{") and ';bench"' in x
                )
                values.append(float(line.rsplit(" ", 1)[1]))
                time.sleep(1.1)
            alerts = requests.get(f"{prom.url}/api/v1/alerts", timeout=10).json()["data"]["alerts"]
            firing = sum(1 for a in alerts if a["state"] == "firing")
            return {"seconds": statistics.median(values), "firing": firing}
        finally:
            prom.stop()
    finally:
        nginx.stop()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--series", type=int, default=10000)
    parser.add_argument("--rules", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    data = series(args.series)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rule_file = work / "rules.yml"
        rule_file.write_text(rules(args.rules))
        ours = local_eval(rule_file, data)
        read = store_read(data, work)
        theirs = prometheus_eval(rule_file, data, work)
    report = {
        "series": args.series,
        "rules": args.rules,
        "tianyan_local": ours,
        "tianyan_store_read_seconds": read,
        "prometheus": theirs,
        "ratio_time": ours["seconds"] / theirs["seconds"],
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{args.rules} alerting rules over {args.series:,} series ({SAMPLES_PER_SERIES} samples each):")
    ms_ours, ms_theirs = ours["seconds"] * 1000, theirs["seconds"] * 1000
    print(f"  tianyan local evaluator   {ms_ours:9.1f} ms per group evaluation, {ours['firing']} firing")
    print(f"  Prometheus 2.42           {ms_theirs:9.1f} ms (last_duration), {theirs['firing']} firing")
    print(f"  ratio tianyan/Prometheus  {report['ratio_time']:9.1f}x the time")
    print(f"  + tianyan reading the window from SQLite: {read * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
