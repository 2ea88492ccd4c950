"""``hucheng lego show RUN``: one run and its jobs. Logic: lego.run.history."""

from __future__ import annotations

import sys

import click

from hucheng.context import AppContext, pass_app
from hucheng.exitcodes import ExitCode
from hucheng.output.format import format_option, resolve_format
from hucheng.output.jsonout import write_json
from hucheng.output.table import TableData, emit


@click.command(name="show")
@click.argument("run_id", metavar="RUN")
@format_option()
@pass_app
def show(app: AppContext, run_id: str, output_format: str | None) -> int:
    """Show a run: status, trigger, and each job's status, time, cache hit, exit code and steps.

    \b
    Examples:
      hucheng lego show 20240501-101500-a1b2c3
      hucheng lego show 20240501-101500-a1b2c3 --format json
    """
    from lego.commands.runner_edge import JOB_COLUMNS, job_row
    from lego.errors import RunNotFoundError
    from lego.run.history import job_records, latest_run_state

    with app.open_store() as store:
        state = latest_run_state(store, run_id)
        if state is None:
            raise RunNotFoundError(f"no lego run {run_id!r} in the store; `hucheng lego runs` lists runs")
        jobs = job_records(store, run_id)
    ordered = [jobs[j] for j in state.get("jobs", []) if j in jobs]
    if resolve_format(output_format, app.output_format) == "json":
        write_json({**state, "jobs": ordered}, sys.stdout)
        return ExitCode.OK
    rows = [
        job_row(j["job"], j["status"], j["duration_seconds"], j["cache_hit"], j["reused_from"], j["message"])
        for j in ordered
    ]
    pending = [j for j in state.get("jobs", []) if j not in jobs]
    rows += [{"job": j, "status": "not finished", "duration": "", "note": ""} for j in pending]
    trigger = state.get("trigger", {})
    title = (
        f"run {run_id}: {state['status']} · {state['pipeline']} · started {state['started']} · "
        f"{trigger.get('how', '')} {trigger.get('sha', '')[:8]} {trigger.get('branch', '')} "
        f"{trigger.get('author', '')}"
    )
    emit(TableData(JOB_COLUMNS, rows, title=title), "table")
    return ExitCode.OK
