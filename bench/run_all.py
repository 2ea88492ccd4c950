"""Run every benchmark in bench/ in one go and print their reports (``make bench``).

    python bench/run_all.py [--quick]

``--quick`` uses smaller sizes (for a smoke run); the figures in the docs come from the default sizes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

BENCHES: dict[str, tuple[list[str], list[str]]] = {
    # name: (default args, --quick args)
    "startup_bench.py": (["--runs", "30"], ["--runs", "5"]),
    "store_bench.py": ([], ["--records", "20000", "--query-records", "100000"]),
    "changcheng/secrets_bench.py": ([], ["--quick"]),
    "changcheng/deps_bench.py": ([], ["--requirements", "200", "--runs", "2"]),
    "tianyan/probe_bench.py": ([], ["--targets", "200", "--concurrency", "16"]),
    "tianyan/rules_bench.py": ([], ["--series", "2000", "--rules", "20"]),
    "tianyan/latency_bench.py": ([], ["--rounds", "2"]),
    "tianyan/delivery_bench.py": ([], ["--groups", "100", "--latency-runs", "5"]),
    "lego/lego_bench.py": ([], ["--jobs", "200", "--skip-real"]),
}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    failed = 0
    for script, (full, quick) in BENCHES.items():
        print(f"== {script} ==", flush=True)
        proc = subprocess.run(
            [sys.executable, str(HERE / script), *(quick if args.quick else full)], check=False
        )
        failed += proc.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
