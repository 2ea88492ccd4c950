"""``hucheng doctor``."""

from __future__ import annotations

import sys
from typing import Any

import click

from hucheng.context import AppContext, pass_app
from hucheng.doctor import CheckResult, CheckStatus
from hucheng.exitcodes import ExitCode
from hucheng.output.format import format_option, resolve_format
from hucheng.output.junit import CaseResult, CaseStatus, SuiteResult, write_junit
from hucheng.output.table import Column, TableData, emit

STATUS_STYLES = {"ok": "green", "missing": "yellow", "invalid": "red", "skipped": "dim"}


@click.command(name="doctor")
@format_option("junit")
@pass_app
def doctor(app: AppContext, output_format: str | None) -> int:
    """Show what this machine has for each tool; exit 1 if something the config needs is missing.

    \b
    Checks Python, the config, the record store (writable?), git, Chromium
    (HUCHENG_CHROMIUM, the usual paths, then Playwright's browser), the
    Prometheus/Alertmanager/Pushgateway/blackbox binaries, redis-server and nginx.

    \b
    Examples:
      hucheng doctor
      hucheng --config configs/hucheng.yaml doctor --format json
    """
    from hucheng.doctor import run_checks
    from hucheng.store import open_store

    def open_for(settings: Any) -> Any:
        return open_store(settings.store_url)

    results = run_checks(app.loaded_config, open_for)
    rows = [
        {
            "check": r.name,
            "status": r.status.value,
            "needed_by": ", ".join(r.needed_by) or "optional",
            "detail": r.detail,
            "fix": r.fix if r.status.value != "ok" else "",
        }
        for r in results
    ]
    blocking = [r.name for r in results if r.blocking]
    columns = [
        Column("check"),
        Column("status", styles=STATUS_STYLES),
        Column("needed_by", "needed by"),
        Column("detail"),
    ]
    if any(row["fix"] for row in rows):
        columns.append(Column("fix"))
    meta = {"ok": not blocking, "blocking": blocking}
    fmt = resolve_format(output_format, app.output_format)
    if fmt == "junit":
        write_junit([doctor_suite(results)], sys.stdout)
    else:
        emit(TableData(columns, rows, title="hucheng doctor", meta=meta), fmt)
    return ExitCode.FINDINGS if blocking else ExitCode.OK


def doctor_suite(results: list[CheckResult]) -> SuiteResult:
    """Each check as a test case: blocking problems fail, optional missing pieces are skipped."""
    cases = []
    for r in results:
        if r.status is CheckStatus.OK:
            status = CaseStatus.PASSED
        elif r.blocking:
            status = CaseStatus.FAILED
        else:
            status = CaseStatus.SKIPPED
        cases.append(CaseResult(r.name, "hucheng.doctor", status, message=r.detail, details=r.fix))
    return SuiteResult("hucheng doctor", cases)
