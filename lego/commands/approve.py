"""``hucheng lego approve RUN JOB``: let a ``manual: true`` job start. Logic: lego.run.engine.approve."""

from __future__ import annotations

import getpass
import sys

import click

from hucheng.context import AppContext, pass_app
from hucheng.exitcodes import ExitCode
from hucheng.output.format import format_option, resolve_format
from hucheng.output.jsonout import write_json


@click.command(name="approve")
@click.argument("run_id", metavar="RUN")
@click.argument("job", metavar="JOB")
@format_option()
@pass_app
def approve(app: AppContext, run_id: str, job: str, output_format: str | None) -> int:
    """Approve a manual job. A runner that is still waiting starts it within a second; if the runner
    was stopped, `hucheng lego resume RUN` continues the run.

    \b
    Examples:
      hucheng lego approve 20240501-101500-a1b2c3 deploy
    """
    from lego.run.engine import approve as approve_job

    with app.open_store() as store:
        approve_job(store, run_id, job, by=getpass.getuser(), home=app.settings().home)
    if resolve_format(output_format, app.output_format) == "json":
        write_json({"run_id": run_id, "job": job, "approved": True}, sys.stdout)
    else:
        print(f"run {run_id}: {job} approved")
    return ExitCode.OK
