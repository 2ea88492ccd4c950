"""``hucheng lego cancel RUN``: ask a run's runner to cancel. Logic: lego.run.engine.cancel."""

from __future__ import annotations

import sys

import click

from hucheng.context import AppContext, pass_app
from hucheng.exitcodes import ExitCode
from hucheng.output.format import format_option, resolve_format
from hucheng.output.jsonout import write_json


@click.command(name="cancel")
@click.argument("run_id", metavar="RUN")
@format_option()
@pass_app
def cancel(app: AppContext, run_id: str, output_format: str | None) -> int:
    """Cancel a running pipeline: its runner gets SIGTERM, kills its jobs' process groups, records the
    run as cancelled and exits 130.

    \b
    Examples:
      hucheng lego cancel 20240501-101500-a1b2c3
    """
    from lego.run.engine import cancel as cancel_run

    with app.open_store() as store:
        pid = cancel_run(store, run_id)
    if resolve_format(output_format, app.output_format) == "json":
        write_json({"run_id": run_id, "signalled_pid": pid}, sys.stdout)
    else:
        print(f"run {run_id}: asked runner (pid {pid}) to cancel")
    return ExitCode.OK
