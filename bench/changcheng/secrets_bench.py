"""Secrets scan speed, side by side with detect-secrets, and git-history speed.

    python bench/changcheng/secrets_bench.py [--tree DIR] [--commits N] [--rules gitleaks.toml]
                                             [--no-peer] [--quick]

1. Tree: the same directory (default: this venv's site-packages, tens of MB of real code) scanned by
   ``hucheng changcheng secrets`` (the library call, built-in rules, default workers) and by
   ``detect-secrets scan --all-files`` (its CLI, default plugins and its own process pool). MB/s use
   one byte count for both: the text bytes changcheng read (binary and >2 MB files excluded).
2. History: a repository of N commits (default 3,000) built with ``git fast-import`` from real source
   files of the same tree (each commit adds or rewrites one file, so the history is real code),
   scanned with ``--history``: commits/s and added MB/s.

detect-secrets comes from the ``bench`` extra: ``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from changcheng.secrets.run import scan_git_history
from changcheng.secrets.scanner import ScanOptions, scan_tree
from changcheng.secrets.source import RuleSource


def bench_tree(tree: Path, rules: Path | None, peer: bool) -> None:
    t0 = time.perf_counter()
    report = scan_tree(tree, RuleSource(), ScanOptions(gitignore=False))
    ours = time.perf_counter() - t0
    mb = report.stats["bytes"] / 1e6
    print(f"tree: {tree} ({report.stats['files']:,} text files, {mb:.1f} MB scanned)")
    print(f"  changcheng secrets      {ours:8.2f} s  {mb / ours:8.2f} MB/s  {len(report.findings)} findings")
    if rules is not None:
        t0 = time.perf_counter()
        more = scan_tree(tree, RuleSource(rules_file=rules, builtin=False), ScanOptions(gitignore=False))
        took = time.perf_counter() - t0
        n, speed, skipped = (
            more.stats["rules"],
            more.stats["bytes"] / 1e6 / took,
            more.stats["skipped_allowlisted"],
        )
        print(f"  changcheng, {n} rules of {rules.name}  {took:6.2f} s  {speed:8.2f} MB/s  "
              f"{len(more.findings)} findings ({skipped} files skipped by its global allowlist)")  # fmt: skip
    if not peer:
        return
    exe = shutil.which("detect-secrets") or str(Path(sys.executable).parent / "detect-secrets")
    if not Path(exe).exists():
        print("  detect-secrets          not installed (pip install -e '.[bench]'); no ratio")
        return
    t0 = time.perf_counter()
    done = subprocess.run(
        [exe, "scan", "--all-files", str(tree)], capture_output=True, text=True, check=False
    )
    theirs = time.perf_counter() - t0
    if done.returncode != 0:
        print(f"  detect-secrets failed: {done.stderr.strip()[:200]}")
        return
    found = sum(len(v) for v in json.loads(done.stdout)["results"].values())
    print(f"  detect-secrets          {theirs:8.2f} s  {mb / theirs:8.2f} MB/s  {found} findings")
    print(f"  ratio changcheng/detect-secrets  {theirs / ours:6.1f}x")


def bench_engines(tree: Path, rules: Path | None) -> None:
    """RE2 against Python re (translated), through the whole scanner, one process."""
    from changcheng.secrets.engine import RegexEngine

    print(f"engines: {tree}, one process")
    for name, rules_file in (("built-in", None), (rules.name if rules else "", rules)):
        if name == "":
            continue
        times = {}
        for engine in RegexEngine:
            source = RuleSource(rules_file=rules_file, builtin=rules_file is None, engine=engine)
            t0 = time.perf_counter()
            report = scan_tree(tree, source, ScanOptions(gitignore=False, workers=1))
            times[engine] = time.perf_counter() - t0
            mb = report.stats["bytes"] / 1e6
            print(f"  {name:14} {engine.value:4} {times[engine]:8.2f} s  {mb / times[engine]:8.2f} MB/s")
        print(f"  {name:14} re2/re speed-up  {times[RegexEngine.RE] / times[RegexEngine.RE2]:.1f}x")


def build_history(repo: Path, tree: Path, commits: int) -> int:
    """``commits`` commits, each adding or rewriting one real source file; returns bytes committed."""
    sources = sorted(p for p in tree.rglob("*.py") if p.is_file() and p.stat().st_size < 200_000)
    if not sources:
        raise SystemExit(f"no .py files under {tree}")
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    stream = bytearray()
    total = 0
    for i in range(commits):
        src = sources[i % len(sources)]
        data = src.read_bytes()
        total += len(data)
        path = f"pkg{i % 50}/{src.name}"
        message = f"commit {i}".encode()
        stream += b"commit refs/heads/main\n"
        stream += f"committer Bench <bench@example.com> {1_700_000_000 + i * 60} +0000\n".encode()
        stream += b"data %d\n%s\n" % (len(message), message)
        stream += b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data)
    subprocess.run(["git", "-C", str(repo), "fast-import", "--quiet"], input=bytes(stream), check=True)
    subprocess.run(["git", "-C", str(repo), "reset", "-q", "--hard", "main"], check=True)
    return total


def bench_history(tree: Path, commits: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        t0 = time.perf_counter()
        size = build_history(repo, tree, commits)
        built = time.perf_counter() - t0
        t0 = time.perf_counter()
        report = scan_git_history(repo, RuleSource(), ScanOptions())
        took = time.perf_counter() - t0
    n = report.stats["commits"]
    print(
        f"history: {n:,} commits of real files from {tree} "
        f"({size / 1e6:.1f} MB added; built in {built:.1f} s)"
    )
    print(f"  changcheng secrets --history  {took:8.2f} s  {n / took:8.0f} commits/s  "
          f"{report.stats['bytes'] / 1e6 / took:6.2f} MB/s  {len(report.findings)} findings")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tree", type=Path, default=Path(sysconfig.get_paths()["purelib"]))
    parser.add_argument("--commits", type=int, default=3000)
    parser.add_argument("--quick", action="store_true", help="one small package and 300 commits")
    parser.add_argument("--rules", type=Path, help="also scan the tree with this gitleaks-format rule file")
    parser.add_argument("--no-peer", action="store_true", help="leave detect-secrets out (it takes minutes)")
    args = parser.parse_args()
    tree = args.tree / "rich" if args.quick and (args.tree / "rich").is_dir() else args.tree
    bench_tree(tree, args.rules, not args.no_peer)
    small = args.tree / "mypy" if (args.tree / "mypy").is_dir() else tree
    bench_engines(args.tree / "rich" if args.quick and (args.tree / "rich").is_dir() else small, args.rules)
    bench_history(args.tree, 300 if args.quick else args.commits)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
