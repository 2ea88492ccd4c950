"""``tianyan alerts``: the alert states after the last evaluation. Logic: tianyan.rules.statestore."""

from __future__ import annotations

import sys

import click

from hucheng.context import AppContext, pass_app
from hucheng.exitcodes import ExitCode
from hucheng.output.format import format_option, resolve_format
from hucheng.output.jsonout import write_json
from hucheng.output.table import emit


@click.command(name="alerts")
@click.option(
    "--state",
    "states",
    multiple=True,
    type=click.Choice(["pending", "firing", "resolved"]),
    help="Only alerts in this state (repeatable).",
)
@format_option()
@pass_app
def alerts(app: AppContext, states: tuple[str, ...], output_format: str | None) -> int:
    """Show pending, firing and just-resolved alerts as of the last rule evaluation.

    \b
    Examples:
      hucheng tianyan alerts
      hucheng tianyan alerts --state firing --format json
    """
    from tianyan.rules.statestore import load_states
    from tianyan.views import alerts_json, alerts_table

    with app.open_store() as store:
        current = load_states(store)
    shown = [a for a in current.alerts.values() if not states or a.state.value in states]
    if resolve_format(output_format, app.output_format) == "json":
        write_json({"evaluated_at": current.evaluated_at, "alerts": alerts_json(shown)}, sys.stdout)
    else:
        when = current.evaluated_at.isoformat(timespec="seconds") if current.evaluated_at else "never"
        emit(alerts_table(shown, title=f"alerts (last evaluation: {when})"), "table")
    return ExitCode.OK
