"""``hucheng lego runs``: the newest runs. Logic: lego.run.engine.list_runs."""

from __future__ import annotations

import click

from hucheng.context import AppContext, pass_app
from hucheng.exitcodes import ExitCode
from hucheng.output.format import format_option, resolve_format
from hucheng.output.table import Column, TableData, emit

COLUMNS = (
    Column("run_id", "run"),
    Column("status", "status", styles={"success": "green", "failed": "red", "cancelled": "yellow"}),
    Column("started", "started"),
    Column("duration", "time", justify="right"),
    Column("jobs", "jobs"),
    Column("trigger", "trigger"),
    Column("pipeline", "pipeline"),
)


@click.command(name="runs")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="How many runs.")
@format_option()
@pass_app
def runs(app: AppContext, limit: int, output_format: str | None) -> int:
    """List the newest pipeline runs.

    \b
    Examples:
      hucheng lego runs
      hucheng lego runs --limit 5 --format json
    """
    from lego.run.engine import list_runs

    with app.open_store() as store:
        items = list_runs(store, limit)
    fmt = resolve_format(output_format, app.output_format)
    if fmt == "json":
        emit(TableData(COLUMNS, items), "json")
        return ExitCode.OK
    rows = []
    for d in items:
        counts = d.get("counts") or {}
        trigger = d.get("trigger") or {}
        assert isinstance(counts, dict) and isinstance(trigger, dict)
        rows.append(
            {
                "run_id": d["run_id"],
                "status": d["status"],
                "started": d["started"],
                "duration": f"{float(str(d['duration_seconds'])):.2f}s",
                "jobs": ", ".join(f"{n} {s}" for s, n in sorted(counts.items())),
                "trigger": " ".join(
                    [
                        str(trigger.get("how", "")),
                        str(trigger.get("sha", ""))[:8],
                        str(trigger.get("branch", "")),
                    ]
                ),
                "pipeline": d["pipeline"],
            }
        )
    emit(TableData(COLUMNS, rows), "table")
    return ExitCode.OK
