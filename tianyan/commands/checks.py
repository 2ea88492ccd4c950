"""``tianyan checks ls|run NAME``: the configured checks and their last results. Logic: tianyan.monitor."""

from __future__ import annotations

import sys

import click

from hucheng.context import AppContext, pass_app
from hucheng.exitcodes import ExitCode
from hucheng.output.format import format_option, resolve_format
from hucheng.output.jsonout import write_json
from hucheng.output.table import Column, TableData, emit


@click.group(name="checks")
def group() -> None:
    """List the configured checks, or run one now.

    \b
    Examples:
      hucheng tianyan checks ls
      hucheng tianyan checks run shop --format json
    """


@group.command(name="ls")
@format_option()
@pass_app
def ls(app: AppContext, output_format: str | None) -> int:
    """List the checks (tianyan.checks and checks_files) with their last stored result.

    \b
    Examples:
      hucheng tianyan checks ls
      hucheng tianyan checks ls --format json
    """
    from tianyan.monitor import Monitor
    from tianyan.samples import latest_results

    with app.open_store() as store:
        checks = Monitor(app.settings().tianyan, store).all_checks()
        latest = latest_results(store, [c.name for c in checks])
    rows = []
    for c in checks:
        last = latest.get(c.name)
        status = "-" if last is None else ("ok" if last.data.get("success") else "failed")
        rows.append(
            {
                "name": c.name,
                "kind": getattr(c, "kind", ""),
                "interval": c.interval,
                "timeout": c.timeout,
                "last_run": None if last is None else last.time,
                "status": status,
                "error": "" if last is None else last.data.get("error", ""),
            }
        )
    columns = [Column(k) for k in ("name", "kind", "interval", "timeout", "last_run", "status", "error")]
    emit(TableData(columns, rows, title="checks"), resolve_format(output_format, app.output_format))
    return ExitCode.OK


@group.command(name="run")
@click.argument("name")
@format_option()
@pass_app
def run(app: AppContext, name: str, output_format: str | None) -> int:
    """Run one check now, store its samples, print them; exit 1 if it fails.

    \b
    Examples:
      hucheng tianyan checks run shop
      hucheng tianyan checks run host --format json
    """
    from tianyan.monitor import Monitor
    from tianyan.views import result_row

    settings = app.settings()
    with app.open_store() as store:
        monitor = Monitor(settings.tianyan, store)
        result = monitor.run_checks(monitor.checks([name]))[0]
    if resolve_format(output_format, app.output_format) == "json":
        samples = [{"name": s.name, "labels": dict(s.labels), "value": s.value} for s in result.samples]
        write_json({**result_row(result), "samples": samples}, sys.stdout)
    else:
        rows = [
            {
                "sample": s.name,
                "labels": ",".join(f"{k}={v}" for k, v in sorted(s.labels.items())),
                "value": f"{s.value:.6g}",
            }
            for s in result.samples
        ]
        status = "ok" if result.success else f"FAILED: {result.error}"
        title = f"{result.name} ({result.kind}): {status} in {result.duration_seconds:.3f}s"
        emit(
            TableData([Column("sample"), Column("labels"), Column("value", justify="right")], rows, title),
            "table",
        )
    return ExitCode.OK if result.success else ExitCode.FINDINGS
