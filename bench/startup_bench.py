"""How long `hucheng --help` takes to start, next to `python -c pass` on the same interpreter.

    python bench/startup_bench.py [--runs 30] [--json]

The aim (issue 2) is a ratio of at most 3x: the root command imports no heavy library.
Each command runs ``--runs`` times, alternating, after two warm-up runs; the median is reported.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def time_once(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    exe = shutil.which("hucheng", path=str(Path(sys.executable).parent)) or "hucheng"
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "hucheng --help": [exe, "--help"],
        "hucheng config show": [exe, "config", "show", "--format", "json"],
    }
    for argv in commands.values():
        time_once(argv)
        time_once(argv)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, argv in commands.items():
            samples[name].append(time_once(argv))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    base = medians["python -c pass"]
    result = {
        "runs": args.runs,
        "python": sys.version.split()[0],
        "median_ms": {name: round(value * 1000, 1) for name, value in medians.items()},
        "ratio_to_python": {name: round(value / base, 2) for name, value in medians.items()},
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"start-up, median of {args.runs} runs (Python {result['python']})")
        for name in commands:
            ms, ratio = result["median_ms"][name], result["ratio_to_python"][name]
            print(f"  {name:<22} {ms:>8.1f} ms   {ratio:>5.2f}x python")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
