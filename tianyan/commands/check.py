"""``tianyan check --once``: one round for cron. Logic: tianyan.monitor."""

from __future__ import annotations

import sys

import click

from hucheng.context import AppContext, pass_app
from hucheng.errors import UsageError
from hucheng.exitcodes import ExitCode
from hucheng.output.format import format_option, resolve_format
from hucheng.output.jsonout import write_json
from hucheng.output.table import emit


@click.command(name="check")
@click.option("--once", is_flag=True, help="Run every check and rule once, deliver, and exit (for cron).")
@click.option("--push", is_flag=True, help="Push the samples to metrics.pushgateway (job tianyan).")
@format_option()
@pass_app
def check(app: AppContext, once: bool, push: bool, output_format: str | None) -> int:
    """Run the checks, evaluate the rules with the alert states of the last run, deliver; exit 1
    while any alert fires.

    \b
    Samples and alert states are kept in the store, so a cron job gets rate()
    over earlier runs and never notifies the same alert twice.

    \b
    Examples:
      hucheng tianyan check --once
      hucheng --config configs/hucheng.yaml tianyan check --once --push --format json
    """
    from datetime import UTC, datetime

    from hucheng.metrics import push_metrics
    from tianyan.exposition import samples_registry
    from tianyan.monitor import Monitor
    from tianyan.sink import build_sink
    from tianyan.views import alerts_table, results_table, round_json

    if not once:
        raise UsageError(
            "tianyan check runs once: add --once (or use `hucheng tianyan serve` to keep running)"
        )
    settings = app.settings()
    if push and not settings.metrics.pushgateway:
        raise UsageError("--push needs metrics.pushgateway in the config (or HUCHENG_METRICS__PUSHGATEWAY)")
    with app.open_store() as store:
        sink = build_sink(settings, store)
        report = Monitor.build(settings.tianyan, store, sink).round()
        delivery = sink.flush(datetime.now(UTC)) if sink is not None else None
    if push and settings.metrics.pushgateway:
        samples = [s for r in report.results for s in r.samples]
        gateway, grouping = settings.metrics.pushgateway, settings.metrics.grouping_key
        push_metrics(
            samples_registry(samples), gateway, "tianyan", grouping, timeout=settings.metrics.timeout
        )
    if resolve_format(output_format, app.output_format) == "json":
        write_json(round_json(report, delivery), sys.stdout)
    else:
        emit(results_table(report.results), "table")
        emit(alerts_table(report.states.alerts.values()), "table")
        for error in report.errors:
            click.echo(f"rule error: {error}", err=True)
    return ExitCode.FINDINGS if report.firing else ExitCode.OK
