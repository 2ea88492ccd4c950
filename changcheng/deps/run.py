"""One deps scan as the command runs it: resolve the database, read the ignore file, collect, match,
warn about a stale database, and decide the exit code. The CLI only parses options and renders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from changcheng.advisories.database import AdvisoryDatabase, open_database
from changcheng.advisories.location import index_dir, resolve_sources
from changcheng.advisories.status import stale_warnings
from changcheng.deps.ignore import IgnoreList, find_default, load_ignore_file
from changcheng.deps.levels import FailOn, UnknownPolicy
from changcheng.deps.policy import exit_code, unknown_warning
from changcheng.deps.scan import Collected, collect, scan
from changcheng.findings import ScanReport
from hucheng import __version__
from hucheng.exitcodes import ExitCode
from hucheng.progress import ProgressCallback, no_progress

if TYPE_CHECKING:
    from changcheng.deps.config import DepsConfig


@dataclass(frozen=True)
class DepsRequest:
    paths: tuple[Path, ...]
    env: bool = False
    #: the interpreter whose installed distributions --env reads (default: hucheng's own)
    python: Path | None = None
    db: tuple[Path, ...] = ()
    ignore_file: Path | None = None
    fail_on: FailOn | None = None
    unknown: UnknownPolicy | None = None
    #: paths in findings are relative to this (the repository root in CI)
    root: Path = Path(".")


@dataclass(frozen=True)
class DepsOutcome:
    report: ScanReport
    exit_code: ExitCode
    collected: Collected


def open_configured_database(
    cli_db: Sequence[Path], config: DepsConfig, home: Path, on_progress: ProgressCallback = no_progress
) -> AdvisoryDatabase:
    sources = resolve_sources(cli_db, config.db, home)
    return open_database(sources, index_dir(home), on_progress=on_progress)


def run_deps_scan(
    request: DepsRequest,
    config: DepsConfig,
    home: Path,
    *,
    today: date | None = None,
    on_progress: ProgressCallback = no_progress,
) -> DepsOutcome:
    fail_on = request.fail_on or config.fail_on
    unknown = request.unknown or config.unknown
    paths = request.paths or (() if request.env else (Path("."),))
    # inputs first: a typo in a path should not wait for an index build
    collected = collect(paths, root=request.root, env=request.env, python=request.python)
    ignores = _ignores(request, config, paths)
    db = open_configured_database(request.db, config, home, on_progress)
    report = scan(
        collected,
        db,
        tool_version=__version__,
        root=str(request.root),
        ignores=ignores,
        today=today,
    )
    extra = list(stale_warnings(db, home, config.max_age_days, datetime.now(UTC)))
    warn = unknown_warning(report.findings, unknown)
    if warn:
        extra.append(warn)
    if extra:
        report = ScanReport(
            report.scan,
            report.tool_version,
            report.findings,
            report.suppressed,
            report.stats,
            (*report.warnings, *extra),
            report.root,
        )
    return DepsOutcome(report, exit_code(report.findings, fail_on, unknown), collected)


def _ignores(request: DepsRequest, config: DepsConfig, paths: Sequence[Path]) -> IgnoreList | None:
    path = request.ignore_file or config.ignore_file
    if path is None:
        first_dir = next((p for p in paths if p.is_dir()), None)
        path = find_default(first_dir) if first_dir else None
    return load_ignore_file(path) if path else None
