"""Deps scan benchmark: 1,000 pinned requirements against the full PyPA advisory database.

    python bench/changcheng/deps_bench.py [--db ../shared/data/osv-pypa] [--requirements 1000] [--runs 5]

Measures, in one run:
1. the cold index build (every OSV record parsed, the per-package index pickled under a fresh home);
2. the warm scan in-process (index loaded from the cache, 1,000 requirements parsed and matched);
3. the whole command, `hucheng changcheng deps requirements.txt --db ... --format json --no-store`,
   cold (empty home) and warm (median of --runs), as a CI job runs it; and the same with one
   requirement, which is the command's fixed cost (interpreter start-up, config, loading the index).

Wall and CPU time are both printed: the machine may be shared, and CPU time says what the work costs.

No side-by-side peer runs here, and the output says why: pip-audit has no offline database (it asks
the PyPI JSON API or api.osv.dev, and neither is reachable from this machine; without network it
reports nothing), and osv-scanner is a Go binary that no registry reachable here ships. So the figures
are absolute times against the issue's aim (warm <= 1 s).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB = ROOT / ".." / "shared" / "data" / "osv-pypa"
T = TypeVar("T")


def make_requirements(db: Path, count: int, seed: int = 0) -> tuple[str, int]:
    """``count`` pins: every package the database knows (at a version one of its advisories names,
    so about half are vulnerable), then made-up packages to fill up. Returns the text and how many
    pins name a package the database knows."""
    from changcheng.advisories.index import build_index

    index = build_index(db.resolve(), "bench")
    rng = random.Random(seed)
    lines = []
    for (_, name), advs in sorted(index.by_package.items()):
        named = {v for adv in advs for a in adv.affected for v in a.versions} | {"999.0"}
        versions = sorted(v for v in named if _pep440(v))
        lines.append(f"{name}=={rng.choice(versions)}")
        if len(lines) == count:
            break
    known = len(lines)
    n = 0
    while len(lines) < count:
        lines.append(f"internal-package-{n}=={rng.randint(0, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 5)}")
        n += 1
    return "\n".join(lines) + "\n", known


def _pep440(version: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        Version(version)
    except InvalidVersion:
        return False
    return True


def timed(fn: Callable[[], T]) -> tuple[float, float, T]:
    """Wall time and CPU time (this process and its children): on a shared machine the CPU time says
    what the work costs, the wall time what a user waits."""

    def cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    c0, w0 = cpu(), time.perf_counter()
    result = fn()
    return time.perf_counter() - w0, cpu() - c0, result


def median(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--requirements", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not (args.db / "vulns").is_dir() and not args.db.is_file():
        print(f"skipped: no advisory database at {args.db} (the PyPA data is optional)")
        return 0
    db = args.db.resolve()
    from changcheng.advisories.database import open_database
    from changcheng.deps.scan import collect, scan

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        text, known = make_requirements(db, args.requirements)
        req = work / "requirements.txt"
        req.write_text(text, encoding="utf-8")
        cache = work / "cache"

        cold_wall, cold_cpu, _ = timed(lambda: open_database([db], cache))
        warm: list[tuple[float, float]] = []
        findings = 0
        for _ in range(args.runs):
            wall, cpu, report = timed(
                lambda: scan(collect([req], root=work), open_database([db], cache), tool_version="b")
            )
            warm.append((wall, cpu))
            findings = len(report.findings)

        env = {**os.environ, "HUCHENG_HOME": str(work / "home"), "CI": "true"}
        clean = work / "clean" / "requirements.txt"  # the same packages at a version no advisory names
        clean.parent.mkdir()
        clean.write_text(re.sub(r"==.*", "==999.0", text), encoding="utf-8")
        one = work / "one" / "requirements.txt"
        one.parent.mkdir()
        one.write_text(text.splitlines()[0] + "\n", encoding="utf-8")

        def run_cli(target: Path = req) -> dict[str, Any]:
            command = [sys.executable, "-m", "cli", "changcheng", "deps", str(target), "--db", str(db)]
            command += ["--format", "json", "--no-store"]
            proc = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
            if proc.returncode not in (0, 1):
                raise SystemExit(f"the command failed ({proc.returncode}): {proc.stderr.strip()}")
            result: dict[str, Any] = json.loads(proc.stdout)
            return result

        cli_cold_wall, cli_cold_cpu, out = timed(run_cli)
        cli_warm = [timed(run_cli)[:2] for _ in range(args.runs)]
        cli_clean = [timed(lambda: run_cli(clean))[:2] for _ in range(args.runs)]
        cli_one = [timed(lambda: run_cli(one))[:2] for _ in range(args.runs)]

    print(f"{args.requirements} pinned requirements ({known} of packages in the database), {db}")
    print(f"  records indexed {out['stats']['advisories']:,}, findings {findings:,}")
    print(f"  {'':38} {'wall':>8} {'cpu':>8}")
    rows = [
        ("cold index build (in-process)", (cold_wall, cold_cpu), ""),
        (f"warm scan (in-process, median of {args.runs})", median(warm), "aim <= 1 s"),
        ("command, cold (empty home)", (cli_cold_wall, cli_cold_cpu), ""),
        (f"command, warm (median of {args.runs})", median(cli_warm), "aim <= 1 s"),
        ("  the same, no pin vulnerable", median(cli_clean), "(no findings to render)"),
        ("  the same with 1 requirement", median(cli_one), "(start-up, config, index load)"),
    ]
    for label, (wall, cpu), aim in rows:
        print(f"  {label:38} {wall:>7.3f}s {cpu:>7.3f}s   {aim}".rstrip())
    print(
        "  no peer ratio: pip-audit needs the PyPI JSON API or api.osv.dev (neither reachable here; "
        "offline it finds nothing), and osv-scanner is not installable from the registries here"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
