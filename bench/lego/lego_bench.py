"""lego against make and ninja on the same graphs, and against a plain shell script on a real project.

    python bench/lego/lego_bench.py [--jobs 2000] [--parallel 2] [--skip-real]

Graphs (each job runs one trivial program, ``touch out/<job>``, exec'd directly by all three tools):
independent jobs, a chain, and a fan-in (every job feeds one final job). Each graph runs cold (empty
state) and then again with nothing changed (no-op: make/ninja see up-to-date targets, lego's
content-hash cache skips every job). Wall time and peak memory (GNU time's max RSS of the tool's
process tree root) are measured side by side in one run; ratios are against make.

The real pipeline: ruff, pytest and an sdist build of ``six`` (downloaded with
``pip download --no-binary :all:``, the only network these machines have) as three chained lego jobs
against the same three commands in a shell script, best of three each.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, int]:
    """(seconds, peak RSS in KiB, exit code) of ``cmd`` under GNU time."""
    fmt = "%M"
    t0 = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", fmt, "-o", str(cwd / ".rss"), *cmd],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        print(
            f"  {' '.join(cmd[:3])}... exited {proc.returncode}: {proc.stderr.strip()[-300:]}",
            file=sys.stderr,
        )
    rss = int((cwd / ".rss").read_text().strip().splitlines()[-1])
    return elapsed, rss, proc.returncode


def edges(shape: str, n: int) -> list[list[int]]:
    """needs of job i, for each i."""
    if shape == "independent":
        return [[] for _ in range(n)]
    if shape == "chain":
        return [[i - 1] if i else [] for i in range(n)]
    return [[] for _ in range(n - 1)] + [list(range(n - 1))]  # fan-in


def write_make(d: Path, deps: list[list[int]]) -> None:
    lines = ["all: " + " ".join(f"out/j{i}" for i in range(len(deps))), ""]
    for i, need in enumerate(deps):
        lines += [f"out/j{i}: in.txt " + " ".join(f"out/j{k}" for k in need), f"\ttouch out/j{i}", ""]
    (d / "Makefile").write_text("\n".join(lines))


def write_ninja(d: Path, deps: list[list[int]]) -> None:
    lines = ["rule t", "  command = touch $out", ""]
    for i, need in enumerate(deps):
        extra = (" | " + " ".join(f"out/j{k}" for k in need)) if need else ""
        lines.append(f"build out/j{i}: t in.txt{extra}")
    (d / "build.ninja").write_text("\n".join(lines) + "\n")


def write_lego(d: Path, deps: list[list[int]]) -> None:
    lines = ["jobs:"]
    for i, need in enumerate(deps):
        lines.append(f"  j{i}:")
        if need:
            lines.append("    needs: [" + ", ".join(f"j{k}" for k in need) + "]")
        lines += ["    inputs: [in.txt]", "    steps:", f"      - run: touch out/j{i}"]
    (d / ".lego.yml").write_text("\n".join(lines) + "\n")


def fresh(d: Path) -> None:
    for name in ("out", "home", ".ninja_log", ".ninja_deps"):
        p = d / name
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()
    (d / "out").mkdir()


def bench_graphs(root: Path, n: int, parallel: int) -> None:
    env = {**os.environ, "CI": "true"}
    tools = {
        "make": ["make", "-s", f"-j{parallel}"],
        "ninja": ["ninja", "-j", str(parallel)],
        "lego": [str(BIN / "hucheng"), "lego", "run", "--jobs", str(parallel)],
    }
    head = ("graph", "tool", "cold s", "ms/job", "no-op s", "peak MiB", "cold/make", "no-op/make")
    print("{:12} {:6} {:>8} {:>7} {:>8} {:>9} {:>9} {:>10}".format(*head))
    for shape in ("independent", "chain", "fan-in"):
        d = root / shape
        d.mkdir()
        (d / "in.txt").write_text("input\n")
        deps = edges(shape, n)
        write_make(d, deps)
        write_ninja(d, deps)
        write_lego(d, deps)
        base: dict[str, float] = {}
        for tool, cmd in tools.items():
            fresh(d)
            tool_env = {**env, "HUCHENG_HOME": str(d / "home")}
            cold, rss_cold, _ = timed(cmd, d, tool_env)
            noop, rss_noop, _ = timed(cmd, d, tool_env)
            if tool == "make":
                base = {"cold": cold, "noop": noop}
            print(
                f"{shape:12} {tool:6} {cold:8.2f} {cold / n * 1000:7.2f} {noop:8.3f} "
                f"{max(rss_cold, rss_noop) / 1024:9.1f} {cold / base['cold']:9.2f} "
                f"{noop / base['noop']:10.1f}",
                flush=True,
            )


REAL_PIPELINE = """\
jobs:
  lint:
    steps:
      - run: {ruff} check --exit-zero --no-cache -q --output-format concise .
  test:
    needs: [lint]
    steps:
      - run: {python} -m pytest -q -p no:cacheprovider -k \"not dbm_ndbm\" test_six.py
  build:
    needs: [test]
    steps:
      - run: {python} setup.py -q sdist -d dist
"""


def bench_real(root: Path) -> None:
    sdist_dir = root / "sdist"
    done = subprocess.run(
        [
            str(BIN / "pip"),
            "download",
            "-q",
            "--no-binary",
            ":all:",
            "--no-deps",
            "six==1.16.0",
            "-d",
            str(sdist_dir),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    archives = list(sdist_dir.glob("six-*.tar.gz"))
    if not archives:
        print(f"real pipeline: skipped (pip download failed: {done.stderr.strip()[-200:]})")
        return
    with tarfile.open(archives[0]) as tar:
        tar.extractall(root, filter="data")
    project = next(root.glob("six-*/"))
    python, ruff = str(BIN / "python"), str(BIN / "ruff")
    (project / ".lego.yml").write_text(REAL_PIPELINE.format(python=python, ruff=ruff))
    script = project / "pipeline.sh"
    script.write_text(
        "set -e -o pipefail\n"
        f"{ruff} check --exit-zero --no-cache -q --output-format concise .\n"
        f'{python} -m pytest -q -p no:cacheprovider -k "not dbm_ndbm" test_six.py\n'
        f"{python} setup.py -q sdist -d dist\n"
    )
    env = {**os.environ, "CI": "true", "HUCHENG_HOME": str(root / "real-home")}
    results: dict[str, list[float]] = {"shell script": [], "lego": []}
    for _ in range(3):
        for name, cmd in (
            ("shell script", ["bash", str(script)]),
            ("lego", [str(BIN / "hucheng"), "lego", "run"]),
        ):
            shutil.rmtree(project / "dist", ignore_errors=True)
            elapsed, _, code = timed(cmd, project, env)
            if code == 0:
                results[name].append(elapsed)
    if not all(results.values()):
        print("real pipeline: a run failed; no figures")
        return
    shell, lego = min(results["shell script"]), min(results["lego"])
    print(
        f"real pipeline (six 1.16.0: ruff, pytest, sdist), best of 3: shell {shell:.2f}s, lego {lego:.2f}s, "
        f"overhead {(lego / shell - 1) * 100:+.1f}%"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=2000, help="jobs per graph")
    parser.add_argument("--parallel", type=int, default=2, help="-j for every tool")
    parser.add_argument("--skip-real", action="store_true", help="leave out the real-project pipeline")
    args = parser.parse_args()
    for tool in ("make", "ninja", "/usr/bin/time"):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed (scripts/bootstrap.sh installs it)", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory(prefix="lego-bench-") as tmp:
        root = Path(tmp)
        print(f"lego bench: {args.jobs} jobs per graph, -j{args.parallel}, on {os.cpu_count()} CPUs")
        bench_graphs(root, args.jobs, args.parallel)
        if not args.skip_real:
            bench_real(root)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
