"""Changcheng's part of ``hucheng run``: the scans configured under ``changcheng:``, findings to the
store, counts to the run's metrics registry.

* secrets: every path in ``changcheng.secrets.paths``, its git history too when
  ``changcheng.secrets.history`` is set; with no paths configured it is not run (a cycle should not
  scan whatever directory it happens to start in), and the outcome says so;
* deps: the current directory, when an advisory database is configured (``changcheng.deps.db``) or
  installed (``changcheng db update``); otherwise the outcome says it was not run and why.

A scan that cannot run (bad rule file, broken history, unusable database) raises, and the cycle
records changcheng as failed with that one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from changcheng.findings import ScanReport
from changcheng.report.ordering import severity_counts
from hucheng.cycle import ToolOutcome, ToolStatus
from hucheng.exitcodes import ExitCode

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

    from hucheng.config import Settings
    from hucheng.store import Store


@dataclass(frozen=True)
class ScanRun:
    name: str
    report: ScanReport | None
    failed: bool
    note: str = ""
    #: keeps the store's findings of a history scan apart from the tree scan of the same root
    mode: str = ""

    def summary(self) -> str:
        if self.report is None:
            return f"{self.name}: {self.note}"
        counts = ", ".join(f"{n} {sev}" for sev, n in severity_counts(self.report.findings).items() if n)
        text = f"{self.name}: {len(self.report.findings)} finding(s)" + (f" ({counts})" if counts else "")
        return f"{text}, {len(self.report.warnings)} warning(s)" if self.report.warnings else text


def _secrets(settings: Settings) -> list[ScanRun]:
    from changcheng.secrets.run import SecretsRequest, run_secrets_scan

    config = settings.changcheng.secrets
    if not config.paths:
        return [ScanRun("secrets", None, False, "not run: no paths configured (changcheng.secrets.paths)")]
    runs = []
    for path in config.paths:
        for history in (False, True) if config.history else (False,):
            outcome = run_secrets_scan(SecretsRequest(target=path, history=history), config)
            name = f"secrets {path}" + (" (history)" if history else "")
            runs.append(
                ScanRun(name, outcome.report, outcome.exit_code != ExitCode.OK, mode="history" * history)
            )
    return runs


def _deps(settings: Settings) -> ScanRun:
    from changcheng.advisories.location import resolve_sources
    from changcheng.deps.run import DepsRequest, run_deps_scan

    config = settings.changcheng.deps
    if not resolve_sources((), config.db, settings.home):
        why = "not run: no advisory database (set changcheng.deps.db or run `hucheng changcheng db update`)"
        return ScanRun("deps", None, False, why)
    outcome = run_deps_scan(DepsRequest(paths=(Path("."),)), config, settings.home)
    return ScanRun("deps", outcome.report, outcome.exit_code != ExitCode.OK)


def _metrics(registry: CollectorRegistry, runs: list[ScanRun]) -> None:
    from prometheus_client import Gauge

    gauge = Gauge(
        "hucheng_changcheng_findings",
        "Findings of the last changcheng scan, by scan and severity (suppressed ones excluded)",
        ["scan", "severity"],
        registry=registry,
    )
    totals: dict[tuple[str, str], int] = {}
    for run in runs:
        if run.report is None:
            continue
        for severity, n in severity_counts(run.report.findings).items():
            key = (run.report.scan, severity)
            totals[key] = totals.get(key, 0) + n
    for (scan, severity), n in totals.items():
        gauge.labels(scan=scan, severity=severity).set(n)


def run_cycle(settings: Settings, store: Store, registry: CollectorRegistry) -> ToolOutcome:
    import time

    from changcheng.alerting import record_and_alert

    t0 = time.monotonic()
    runs = [*_secrets(settings), _deps(settings)]
    for run in runs:
        if run.report is not None:
            record_and_alert(store, run.report, settings, mode=run.mode)
    _metrics(registry, runs)
    status = ToolStatus.FINDINGS if any(r.failed for r in runs) else ToolStatus.OK
    detail = "; ".join(r.summary() for r in runs)
    return ToolOutcome("changcheng", status, detail, time.monotonic() - t0)
