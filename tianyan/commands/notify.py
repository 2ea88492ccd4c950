"""``hucheng tianyan notify test|routes``. Logic: tianyan.notify."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from hucheng.context import AppContext, pass_app
from hucheng.exitcodes import ExitCode
from hucheng.output.format import format_option, resolve_format
from hucheng.output.table import Column, TableData, emit


@click.group(name="notify")
def group() -> None:
    """Try the routing config (alertmanager.yml named by tianyan.notify.alertmanager_config).

    \b
    Examples:
      hucheng tianyan notify test ops-dingtalk
      hucheng tianyan notify routes service=pay severity=critical
    """


@group.command(name="test")
@click.argument("receiver")
@format_option()
@pass_app
def test(app: AppContext, receiver: str, output_format: str | None) -> int:
    """Send a test alert through every channel of RECEIVER now; exit 1 if one failed.

    \b
    A failed send stays in the outbox and is retried like any notification.

    \b
    Examples:
      hucheng tianyan notify test ops-dingtalk
      hucheng --config hucheng.yaml tianyan notify test pay-oncall --format json
    """
    from tianyan.notify.pipeline import build_pipeline
    from tianyan.notify.testsend import send_test

    with app.open_store() as store:
        summary = send_test(build_pipeline(app.settings(), store), receiver, datetime.now(UTC))
    rows = [
        {"channel": r.integration, "target": r.target, "outcome": r.outcome, "error": r.error}
        for r in summary.results
    ]
    columns = [
        Column("channel"),
        Column("target"),
        Column("outcome", styles={"sent": "green", "failed": "red", "deferred": "yellow"}),
        Column("error"),
    ]
    meta = {"receiver": receiver, "sent": summary.sent, "failed": summary.failed}
    emit(
        TableData(columns, rows, title=f"test notification to {receiver}", meta=meta),
        resolve_format(output_format, app.output_format),
    )
    return ExitCode.OK if summary.sent == len(rows) else ExitCode.FINDINGS


@group.command(name="routes")
@click.argument("labels", nargs=-1, required=True, metavar="NAME=VALUE...")
@format_option()
@pass_app
def routes(app: AppContext, labels: tuple[str, ...], output_format: str | None) -> int:
    """Show which routes and receivers an alert with LABELS goes to, and its group key.

    \b
    Examples:
      hucheng tianyan notify routes alertname=HighCPU service=pay severity=critical
    """
    from hucheng.errors import UsageError
    from tianyan.errors import RoutingConfigError
    from tianyan.notify.amconfig import load_routing
    from tianyan.notify.pipeline import routing_path

    pairs = {}
    for item in labels:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"label {item!r} is not NAME=VALUE")
        pairs[name] = value
    path = routing_path(app.settings().tianyan.notify)
    if path is None:
        raise RoutingConfigError("tianyan.notify.alertmanager_config is not set")
    matched = load_routing(path).route.match(pairs)
    rows = [
        {"receiver": r.receiver, "route": r.key, "group_key": r.group_key(pairs), "declared": r.where}
        for r in matched
    ]
    cols = [Column("receiver"), Column("route"), Column("group_key", "group key"), Column("declared")]
    emit(TableData(cols, rows, title="routes"), resolve_format(output_format, app.output_format))
    return ExitCode.OK
