"""The secrets scan as one call: what the command and ``hucheng run`` use.

outcome = run_secrets_scan(SecretsRequest(target=Path("."), history=True), config)
outcome.report, outcome.exit_code
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from changcheng.findings import ScanReport
from changcheng.secrets.baseline import read_baseline, write_baseline
from changcheng.secrets.engine import RegexEngine
from changcheng.secrets.failon import SecretsFailOn, fails
from changcheng.secrets.scanner import ScanOptions, classify, scan_tree
from changcheng.secrets.source import RuleSource
from hucheng import __version__
from hucheng.exitcodes import ExitCode
from hucheng.progress import ProgressCallback, no_progress

if TYPE_CHECKING:
    from changcheng.secrets.config import SecretsConfig


@dataclass(frozen=True)
class SecretsRequest:
    """What the user asked for; ``None`` fields fall back to the ``changcheng.secrets`` config."""

    target: Path = Path(".")
    history: bool = False
    #: with ``history``: a revision range (``origin/main..HEAD``); empty: every ref
    revisions: str = ""
    rules: Path | None = None
    baseline: Path | None = None
    write_baseline: Path | None = None
    redact: bool | None = None
    fail_on: SecretsFailOn | None = None
    engine: RegexEngine | None = None


@dataclass(frozen=True)
class SecretsOutcome:
    report: ScanReport
    exit_code: int
    baseline_written: int | None = None


def run_secrets_scan(
    request: SecretsRequest, config: SecretsConfig, *, on_progress: ProgressCallback = no_progress
) -> SecretsOutcome:
    source = RuleSource(
        rules_file=request.rules or config.rules,
        builtin=config.builtin_rules or (request.rules or config.rules) is None,
        engine=request.engine or config.engine,
    )
    options = ScanOptions(
        gitignore=config.gitignore,
        max_file_size=config.max_file_size,
        redact=config.redact if request.redact is None else request.redact,
        workers=config.workers,
    )
    baseline_path = request.baseline or config.baseline
    baseline = read_baseline(baseline_path) if baseline_path else frozenset()
    name = str(baseline_path or "")
    if request.history:
        report = scan_git_history(
            request.target,
            source,
            options,
            baseline=baseline,
            baseline_name=name,
            revisions=request.revisions,
        )
    else:
        report = scan_tree(
            request.target, source, options, baseline=baseline, baseline_name=name, on_progress=on_progress
        )
    written = None
    if request.write_baseline is not None:
        # writing a baseline accepts what it holds: those findings are reported as suppressed
        accepted = [
            *report.findings,
            *(f for f, reason in report.suppressed if reason.startswith("baseline")),
        ]
        written = write_baseline(request.write_baseline, accepted)
        reason = f"baseline {request.write_baseline} (written now)"
        report = replace(
            report,
            findings=(),
            suppressed=(*report.suppressed, *((f, reason) for f in report.findings)),
            warnings=(
                *report.warnings,
                f"baseline of {written} finding(s) written to {request.write_baseline}",
            ),
        )
    code = ExitCode.FINDINGS if fails(report, request.fail_on or config.fail_on) else ExitCode.OK
    return SecretsOutcome(report, int(code), written)


def scan_git_history(
    repo: Path,
    source: RuleSource,
    options: ScanOptions,
    *,
    baseline: frozenset[str] = frozenset(),
    baseline_name: str = "",
    revisions: str = "",
) -> ScanReport:
    """Every line the history of ``repo`` added, scanned; findings carry commit, author and date."""
    from changcheng.secrets.history import HistoryStats, check_repository, scan_history
    from changcheng.secrets.scanfiles import new_detector

    if not repo.exists():
        from changcheng.errors import GitHistoryError

        raise GitHistoryError(f"{repo}: no such directory; --history needs a git repository")
    warnings = check_repository(repo)
    detector = new_detector(source)
    stats = HistoryStats()
    matches = [(path, m, commit) for path, m, commit in scan_history(repo, detector, stats, revisions)]
    classified = classify(
        detector.rules, matches, redact=options.redact, baseline=baseline, baseline_name=baseline_name
    )
    return ScanReport(
        scan="secrets",
        tool_version=__version__,
        findings=classified.findings,
        suppressed=classified.suppressed,
        stats={
            "commits": stats.commits,
            "files": stats.files,
            "added_lines": stats.added_lines,
            "bytes": stats.bytes,
            "rules": len(detector.rules.rules),
            "skipped_binary": stats.skipped_binary,
            "skipped_allowlisted": stats.skipped_allowlisted,
        },
        warnings=(*detector.rules.warnings, *warnings),
        root=str(repo),
    )
