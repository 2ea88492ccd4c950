"""lego against make and ninja on the same graphs, and against a plain shell script on real projects.

    python bench/lego/lego_bench.py [--jobs 2000] [--parallel 2] [--skip-real] [--real six|attrs]

Graphs (each job runs one trivial program, ``touch out/<job>``, exec'd directly by every tool):
independent jobs, a chain, and a fan-in (every job feeds one final job). Each graph runs cold (empty
state) and then again with nothing changed (no-op: make/ninja see up-to-date targets, lego's
content-hash cache skips every job). Wall time and peak memory (GNU time's max RSS of the tool's
process tree root) are measured side by side in one run; ratios are against make. ``pyspawn`` is the
floor for any Python runner: a 40-line loop in a fresh interpreter that posix_spawns the same
commands in dependency order at the same -j and does nothing else (no cache, so no no-op figure).

Output: one job printing a million lines, lego (every line prefixed, masked, time-stamped and stored)
against a shell that only prefixes them with sed.

Real pipelines: lint (ruff), test (pytest) and build of a project downloaded from PyPI
(``pip download --no-binary :all:``, the only network these machines have) as three chained lego jobs
against the same three commands in a shell script, best of three each, alternating. ``six`` 1.16.0
(a one-module project, ~1.5 s in all) and ``attrs`` 23.2.0 (1,300 tests with hypothesis, ~20 s; its
test and build tools go into a throwaway venv under the bench's temporary directory).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Timing:
    seconds: float
    rss_kib: int  # peak RSS of the process tree's root
    cpu: float  # user + system seconds of the tool and every process it waited for
    code: int


def timed(cmd: list[str], cwd: Path, env: dict[str, str], out: Path | None = None) -> Timing:
    """``cmd`` under GNU time (wall clock from here); its stdout to ``out``."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M %U %S", "-o", str(cwd / ".rss"), *cmd],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL if out is None else out.open("w"),
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
    rss, user, system = (cwd / ".rss").read_text().strip().splitlines()[-1].split()
    return Timing(elapsed, int(rss), float(user) + float(system), proc.returncode)


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


PYSPAWN = """\
import os, sys
# the floor for a Python runner: spawn each job's command when its needs are done, -jN, nothing else
jobs = [line.split("\\t") for line in open(sys.argv[1]).read().splitlines()]
needs = {i: set(map(int, deps.split())) for i, (deps, _) in enumerate(jobs)}
parallel, env, running, done = int(sys.argv[2]), dict(os.environ), {}, set()
todo = list(range(len(jobs)))
while todo or running:
    ready = [i for i in todo if needs[i] <= done][: max(parallel - len(running), 0)]
    for i in ready:
        todo.remove(i)
        argv = jobs[i][1].split()
        running[os.posix_spawn("/usr/bin/" + argv[0], argv, env, setsid=True)] = i
    pid, status = os.wait()
    done.add(running.pop(pid))
    if status:
        sys.exit(1)
"""


def write_pyspawn(d: Path, deps: list[list[int]]) -> None:
    (d / "jobs.tsv").write_text(
        "".join(f"{' '.join(map(str, need))}\ttouch out/j{i}\n" for i, need in enumerate(deps))
    )
    (d / "pyspawn.py").write_text(PYSPAWN)


def fresh(d: Path) -> None:
    """Clear every tool's state, then flush the deletions to disk, so that one tool's 2,000 unlinks
    are not written back while the next tool is being timed (ext4 here)."""
    for name in ("out", "home", ".ninja_log", ".ninja_deps"):
        p = d / name
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()
    (d / "out").mkdir()
    os.sync()


def _median(values: list[float]) -> float:
    return statistics.median(values)


def bench_graphs(root: Path, n: int, parallel: int, repeat: int) -> None:
    """Each graph: ``repeat`` rounds, every tool once per round in turn (so a slow minute of this
    machine hits all of them), medians reported and every run listed."""
    env = {**os.environ, "CI": "true"}
    tools = {
        "make": ["make", "-s", f"-j{parallel}"],
        "ninja": ["ninja", "-j", str(parallel)],
        "lego": [str(BIN / "hucheng"), "lego", "run", "--jobs", str(parallel)],
        "pyspawn": [sys.executable, "-I", "-S", "pyspawn.py", "jobs.tsv", str(parallel)],
    }
    head = (
        "graph",
        "tool",
        "cold s",
        "ms/job",
        "cold CPU s",
        "no-op s",
        "peak MiB",
        "cold/make",
        "no-op/make",
    )
    print(
        f"medians of {repeat} rounds (every tool once per round, in turn); cold CPU s: user+system of the"
        " tool and its jobs (on N CPUs a cold run cannot take less than CPU s / N)"
    )
    print("{:12} {:7} {:>8} {:>7} {:>10} {:>8} {:>9} {:>9} {:>10}".format(*head))
    for shape in ("independent", "chain", "fan-in"):
        d = root / shape
        d.mkdir()
        (d / "in.txt").write_text("input\n")
        deps = edges(shape, n)
        write_make(d, deps)
        write_ninja(d, deps)
        write_lego(d, deps)
        write_pyspawn(d, deps)
        cold: dict[str, list[float]] = {tool: [] for tool in tools}
        noop: dict[str, list[float]] = {tool: [] for tool in tools}
        cpu: dict[str, list[float]] = {tool: [] for tool in tools}
        rss: dict[str, int] = dict.fromkeys(tools, 0)
        for _ in range(repeat):
            for tool, cmd in tools.items():
                fresh(d)
                tool_env = {**env, "HUCHENG_HOME": str(d / "home")}
                first = timed(cmd, d, tool_env)
                cold[tool].append(first.seconds)
                cpu[tool].append(first.cpu)
                rss[tool] = max(rss[tool], first.rss_kib)
                if tool == "pyspawn":  # no cache: a second run is a second cold run
                    continue
                again = timed(cmd, d, tool_env)
                noop[tool].append(again.seconds)
                rss[tool] = max(rss[tool], again.rss_kib)
        base_cold, base_noop = _median(cold["make"]), _median(noop["make"])
        for tool in tools:
            c = _median(cold[tool])
            no_op_s, no_op_ratio = "-", "-"
            if noop[tool]:
                o = _median(noop[tool])
                no_op_s, no_op_ratio = f"{o:.3f}", f"{o / base_noop:.1f}"
            print(
                f"{shape:12} {tool:7} {c:8.2f} {c / n * 1000:7.2f} {_median(cpu[tool]):10.2f} {no_op_s:>8} "
                f"{rss[tool] / 1024:9.1f} {c / base_cold:9.2f} {no_op_ratio:>10}",
                flush=True,
            )
        for tool in tools:
            runs = "cold " + "/".join(f"{t:.2f}" for t in cold[tool])
            runs += " (CPU " + "/".join(f"{t:.2f}" for t in cpu[tool]) + ")"
            if noop[tool]:
                runs += ", no-op " + "/".join(f"{t:.3f}" for t in noop[tool])
            print(f"{'':12} {tool:7} runs: {runs}", flush=True)


def bench_output(root: Path, lines: int = 1_000_000) -> None:
    """One job printing ``lines`` lines (``seq``): lego (CI mode: every line prefixed, masked, stamped
    and stored) against a shell doing the prefixing with sed. Best of 3 each, alternating."""
    work = root / "output"
    work.mkdir()
    (work / ".lego.yml").write_text(f"jobs:\n  a:\n    steps:\n      - run: seq 1 {lines}\n")
    env = {**os.environ, "CI": "true", "HUCHENG_HOME": str(work / "home")}
    shell = ["bash", "-c", f"seq 1 {lines} | sed 's/^/[a] /'"]
    best: dict[str, float] = {}
    for _ in range(3):
        for name, cmd in (("shell | sed", shell), ("lego", [str(BIN / "hucheng"), "lego", "run"])):
            timing = timed(cmd, work, env, out=work / "out.txt")
            if timing.code == 0:
                best[name] = min(best.get(name, timing.seconds), timing.seconds)
    if len(best) == 2:
        print(
            f"output: one job printing {lines:,} lines, best of 3: shell | sed {best['shell | sed']:.2f}s, "
            f"lego {best['lego']:.2f}s ({best['lego'] / lines * 1e6:.2f} µs per line)",
            flush=True,
        )


@dataclass(frozen=True)
class RealProject:
    """A project from PyPI and its lint, test and build commands ({python}, {ruff} filled in)."""

    name: str
    version: str
    lint: str
    test: str
    build: str
    #: pip requirements of a throwaway venv for its tools; () runs them from this venv
    tools: tuple[str, ...] = ()
    #: environment for the build (e.g. a version for hatch-vcs, which finds no git here)
    env: tuple[tuple[str, str], ...] = ()


REAL_PROJECTS = {
    "six": RealProject(
        "six",
        "1.16.0",
        lint="{ruff} check --exit-zero --no-cache -q --output-format concise .",
        test='{python} -m pytest -q -p no:cacheprovider -k "not dbm_ndbm" test_six.py',
        build="{python} setup.py -q sdist -d dist",
    ),
    "attrs": RealProject(
        "attrs",
        "23.2.0",
        lint="{ruff} check --exit-zero --no-cache -q --output-format concise .",
        test="{python} -m pytest -q -p no:cacheprovider tests",
        build="{python} -m pip wheel -q --no-deps --no-build-isolation -w dist .",
        tools=(
            "pytest<8",
            "hypothesis",
            "hatchling",
            "hatch-vcs",
            "hatch-fancy-pypi-readme>=23.2.0",
            "wheel",
        ),
        env=(("SETUPTOOLS_SCM_PRETEND_VERSION", "23.2.0"),),
    ),
}


def _fetch(root: Path, project: RealProject) -> Path | None:
    """The project's unpacked sdist (with its own tools venv when it needs one), or None with a note."""
    sdist_dir = root / "sdist"
    spec = f"{project.name}=={project.version}"
    done = subprocess.run(
        [str(BIN / "pip"), "download", "-q", "--no-binary", ":all:", "--no-deps", spec, "-d", str(sdist_dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    archives = list(sdist_dir.glob(f"{project.name}-{project.version}.tar.gz"))
    if not archives:
        print(f"real pipeline {spec}: skipped (pip download failed: {done.stderr.strip()[-200:]})")
        return None
    with tarfile.open(archives[0]) as tar:
        tar.extractall(root, filter="data")
    src = root / f"{project.name}-{project.version}"
    if project.tools:
        venv = root / f"{project.name}-venv"
        steps = [
            [sys.executable, "-m", "venv", str(venv)],
            [str(venv / "bin" / "pip"), "install", "-q", *project.tools],
            # the package itself, built once, so its tests import it (as its CI would)
            [str(venv / "bin" / "pip"), "install", "-q", "--no-deps", "--no-build-isolation", str(src)],
        ]
        for cmd in steps:
            setup = subprocess.run(
                cmd, capture_output=True, text=True, check=False, env={**os.environ, **dict(project.env)}
            )
            if setup.returncode != 0:
                why = setup.stderr.strip()[-200:]
                print(f"real pipeline {spec}: skipped (setting up its tools failed: {why})")
                return None
    return src


def bench_real(root: Path, project: RealProject) -> None:
    src = _fetch(root, project)
    if src is None:
        return
    python = str((root / f"{project.name}-venv" / "bin" / "python") if project.tools else BIN / "python")
    commands = [
        getattr(project, part).format(python=python, ruff=BIN / "ruff") for part in ("lint", "test", "build")
    ]
    (src / ".lego.yml").write_text(
        "jobs:\n"
        + "".join(
            f"  {name}:\n"
            + (f"    needs: [{prev}]\n" if prev else "")
            + f"    steps:\n      - run: '{cmd}'\n"
            for name, prev, cmd in zip(("lint", "test", "build"), ("", "lint", "test"), commands, strict=True)
        )
    )
    script = src / "pipeline.sh"
    script.write_text("set -e -o pipefail\n" + "".join(f"{cmd}\n" for cmd in commands))
    env = {
        **os.environ,
        "CI": "true",
        "HUCHENG_HOME": str(root / f"{project.name}-home"),
        **dict(project.env),
    }
    results: dict[str, list[float]] = {"shell script": [], "lego": []}
    own: list[float] = []  # lego's wall time minus its steps' (the jobs run one after another)
    report = root / "lego-run.json"
    for _ in range(3):
        for name, cmd in (
            ("shell script", ["bash", str(script)]),
            ("lego", [str(BIN / "hucheng"), "lego", "run", "--format", "json"]),
        ):
            shutil.rmtree(src / "dist", ignore_errors=True)
            timing = timed(cmd, src, env, out=report if name == "lego" else None)
            elapsed, code = timing.seconds, timing.code
            if code == 0:
                results[name].append(elapsed)
            if code == 0 and name == "lego":
                jobs = json.loads(report.read_text())["jobs"]
                own.append(elapsed - sum(st["duration_seconds"] for job in jobs for st in job["steps"]))
    if not all(results.values()):
        print(f"real pipeline {project.name}: a run failed; no figures")
        return
    shell, lego = min(results["shell script"]), min(results["lego"])
    print(
        f"real pipeline ({project.name} {project.version}: ruff, pytest, build), best of 3: "
        f"shell {shell:.2f}s, lego {lego:.2f}s, overhead {(lego - shell) * 1000:+.0f} ms = "
        f"{(lego / shell - 1) * 100:+.1f}%; lego's own time (wall minus its steps') "
        f"{min(own) * 1000:.0f}-{max(own) * 1000:.0f} ms = {min(own) / shell * 100:.1f}-"
        f"{max(own) / shell * 100:.1f}% of the shell's best  (all runs: shell "
        + "/".join(f"{t:.2f}" for t in results["shell script"])
        + ", lego "
        + "/".join(f"{t:.2f}" for t in results["lego"])
        + ")",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=2000, help="jobs per graph")
    parser.add_argument("--parallel", type=int, default=2, help="-j for every tool")
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds per graph (medians reported; default 3)"
    )
    parser.add_argument("--skip-real", action="store_true", help="leave out the real-project pipelines")
    parser.add_argument(
        "--real", choices=sorted(REAL_PROJECTS), action="append", help="only this real project (repeatable)"
    )
    args = parser.parse_args()
    for tool in ("make", "ninja", "/usr/bin/time"):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed (scripts/bootstrap.sh installs it)", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory(prefix="lego-bench-") as tmp:
        root = Path(tmp)
        print(f"lego bench: {args.jobs} jobs per graph, -j{args.parallel}, on {os.cpu_count()} CPUs")
        bench_graphs(root, args.jobs, args.parallel, max(args.repeat, 1))
        bench_output(root)
        if not args.skip_real:
            for name in args.real or list(REAL_PROJECTS):
                (root / name).mkdir()
                bench_real(root / name, REAL_PROJECTS[name])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
