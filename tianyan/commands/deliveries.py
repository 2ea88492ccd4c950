"""``hucheng tianyan deliveries``: what the outbox sent, is retrying, or gave up. Logic: notify.report."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from hucheng.context import AppContext, pass_app
from hucheng.exitcodes import ExitCode
from hucheng.output.format import format_option, resolve_format
from hucheng.output.table import Column, TableData, emit

STATES = ["pending", "in_flight", "retrying", "sent", "gave_up"]


@click.command(name="deliveries")
@click.option("--since", default="24h", show_default=True, metavar="AGE", help="Queued within this age.")
@click.option("--state", type=click.Choice(STATES), default=None, help="Only notifications in this state.")
@format_option()
@pass_app
def deliveries(app: AppContext, since: str, state: str | None, output_format: str | None) -> int:
    """List notifications: sent, retrying (with the last error and next try), or given up.

    \b
    Exit 1 when some were given up in the period (they were never delivered).

    \b
    Examples:
      hucheng tianyan deliveries
      hucheng tianyan deliveries --since 7d --state gave_up --format json
    """
    from hucheng.durations import parse_duration
    from hucheng.errors import UsageError
    from tianyan.notify.report import delivery_rows

    try:
        age = parse_duration(since)
    except ValueError as exc:
        raise UsageError(f"--since: {exc}") from exc
    with app.open_store() as store:
        rows = delivery_rows(store, datetime.now(UTC), age, state)
    columns = [
        Column("queued_at", "queued"),
        Column("receiver"),
        Column("channel"),
        Column("status"),
        Column("alerts", justify="right"),
        Column("state", styles={"sent": "green", "retrying": "yellow", "gave_up": "red"}),
        Column("attempts", justify="right"),
        Column("next_attempt_at", "next try"),
        Column("error"),
    ]
    gave_up = sum(1 for r in rows if r["state"] == "gave_up")
    meta = {"count": len(rows), "gave_up": gave_up}
    emit(
        TableData(columns, rows, title="deliveries", meta=meta),
        resolve_format(output_format, app.output_format),
    )
    return ExitCode.FINDINGS if gave_up else ExitCode.OK
