"""The secrets scan of a directory tree (or one file): walk, detect (in parallel for large trees),
apply pragmas and the baseline, and return a :class:`ScanReport`."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from changcheng.findings import Finding, ScanReport
from changcheng.secrets.detect import Match
from changcheng.secrets.files import FileRef, WalkStats, walk
from changcheng.secrets.rules import RuleSet
from changcheng.secrets.scanfiles import ChunkResult, new_detector, scan_files
from changcheng.secrets.source import RuleSource
from changcheng.secrets.to_findings import Commit, to_finding
from hucheng import __version__
from hucheng.progress import ProgressCallback, ProgressEvent, no_progress

log = logging.getLogger(__name__)

#: below this many bytes a tree is scanned in this process (starting workers costs more)
PARALLEL_MIN_BYTES = 16_000_000
MAX_WORKERS = 8


@dataclass(frozen=True)
class ScanOptions:
    gitignore: bool = True
    max_file_size: int = 2_000_000
    redact: bool = True
    #: worker processes for large trees; 0 = one per CPU (at most MAX_WORKERS), 1 = none
    workers: int = 0


@dataclass(frozen=True)
class Classified:
    findings: tuple[Finding, ...]
    suppressed: tuple[tuple[Finding, str], ...]


def classify(
    rules: RuleSet,
    matches: Iterable[tuple[str, Match, Commit | None]],
    *,
    redact: bool,
    baseline: frozenset[str],
    baseline_name: str,
) -> Classified:
    """Findings for ``matches``; those with a pragma or in the baseline go to ``suppressed``."""
    findings: dict[str, Finding] = {}
    suppressed: dict[str, tuple[Finding, str]] = {}
    for rel, match, commit in matches:
        finding = to_finding(rules, rel, match, redact=redact, commit=commit)
        if match.pragma:
            suppressed.setdefault(finding.fingerprint, (finding, f"pragma {match.pragma}"))
        elif finding.fingerprint in baseline:
            suppressed.setdefault(finding.fingerprint, (finding, f"baseline {baseline_name}"))
        else:
            findings.setdefault(finding.fingerprint, finding)
    return Classified(tuple(findings.values()), tuple(suppressed.values()))


def _chunks(files: Sequence[FileRef], n: int) -> list[list[str]]:
    """``n`` chunks of about equal bytes (largest files dealt first)."""
    buckets: list[tuple[int, list[str]]] = [(0, []) for _ in range(n)]
    for ref in sorted(files, key=lambda f: -f.size):
        i = min(range(n), key=lambda j: buckets[j][0])
        size, rels = buckets[i]
        rels.append(ref.rel)
        buckets[i] = (size + ref.size, rels)
    return [rels for _, rels in buckets if rels]


def _detect_parallel(root: Path, files: Sequence[FileRef], source: RuleSource, workers: int) -> ChunkResult:
    from hucheng.dispatch import LocalExecutor, WorkKind, WorkSpec

    specs = [
        WorkSpec(
            "changcheng.secrets.scanfiles:scan_chunk",
            {"root": str(root), "rels": rels, "source": source.to_args()},
            kind=WorkKind.CPU,
        )
        for rels in _chunks(files, workers)
    ]
    total = ChunkResult()
    with LocalExecutor(max_processes=workers) as executor:
        for result in executor.map(specs):
            total.merge(ChunkResult.from_json(result.unwrap()))
    return total


def worker_count(options: ScanOptions) -> int:
    return options.workers or min(os.cpu_count() or 1, MAX_WORKERS)


def scan_tree(
    target: Path,
    source: RuleSource,
    options: ScanOptions = ScanOptions(),
    *,
    baseline: frozenset[str] = frozenset(),
    baseline_name: str = "",
    on_progress: ProgressCallback = no_progress,
) -> ScanReport:
    """Scan ``target`` (a directory or a file) for secrets with the rules ``source`` names."""
    rules = source.load()
    walk_stats = WalkStats()
    root = target if target.is_dir() else target.parent
    files = list(walk(target, gitignore=options.gitignore, max_size=options.max_file_size, stats=walk_stats))
    if target.is_file():
        files = [FileRef(f.path, target.name, f.size) for f in files]
    on_progress(ProgressEvent("secrets", 0, len(files), "files"))
    workers = worker_count(options)
    if workers > 1 and len(files) > workers and sum(f.size for f in files) >= PARALLEL_MIN_BYTES:
        result = _detect_parallel(root, files, source, workers)
    else:
        result = scan_files(new_detector(source), root, (f.rel for f in files))
    on_progress(ProgressEvent("secrets", len(files), len(files), "files"))
    classified = classify(
        rules,
        ((rel, m, None) for rel, m in result.matches),
        redact=options.redact,
        baseline=baseline,
        baseline_name=baseline_name,
    )
    stats = {
        "files": result.scanned,
        "bytes": result.bytes,
        "rules": len(rules.rules),
        "skipped_binary": result.skipped_binary,
        "skipped_large": walk_stats.skipped_large,
        "skipped_unreadable": walk_stats.skipped_unreadable + result.skipped_unreadable,
        "skipped_allowlisted": result.allowlisted_paths,
        "ignored_by_gitignore": walk_stats.ignored,
    }
    return ScanReport(
        scan="secrets",
        tool_version=__version__,
        findings=classified.findings,
        suppressed=classified.suppressed,
        stats=stats,
        warnings=rules.warnings,
        root=str(root),
    )
