"""``hucheng lego plan``: a dry run; the expanded jobs in order, what conditions and the cache skip."""

from __future__ import annotations

import os
from pathlib import Path

import click

from hucheng.context import AppContext, pass_app
from hucheng.exitcodes import ExitCode
from hucheng.output.format import format_option, resolve_format
from hucheng.output.table import Column, TableData, emit
from lego.commands.pipeline_options import pipeline_options

DECISION_STYLES = {"run": "green", "skip (if is false)": "yellow", "waits for approval": "cyan"}
CACHE_STYLES = {"hit": "green", "miss": "yellow"}


@click.command(name="plan")
@pipeline_options
@click.option(
    "--job", "only", multiple=True, metavar="NAME", help="Only this job and what it needs (repeatable)."
)
@click.option("--no-cache", is_flag=True, help="Do not look at the content-hash cache.")
@format_option()
@pass_app
def plan(
    app: AppContext,
    path: Path,
    brick_dirs: tuple[Path, ...],
    only: tuple[str, ...],
    no_cache: bool,
    output_format: str | None,
) -> int:
    """Show what `lego run` would do, running nothing: every job after matrix expansion, in start
    order, whether its `if` is false already, which steps' `if` is, and whether the cache would
    skip it (same key as the runner: definition, input files, cache-env, bricks, upstream keys).

    \b
    Examples:
      hucheng lego plan
      hucheng lego plan -f ci/pipeline.yml --no-cache
      hucheng lego plan --job build
      hucheng lego plan --format json
    """
    from lego.run.engine import select_jobs
    from lego.run.layout import cache_dir
    from lego.run.trigger import git_info
    from lego.spec import load_pipeline
    from lego.spec.plan import make_plan

    pipeline = select_jobs(load_pipeline(path, brick_dirs=brick_dirs), only)
    workspace = Path(pipeline.path).resolve().parent
    root = None if no_cache else cache_dir(app.settings().home)
    result = make_plan(pipeline, git=git_info(workspace), cache_root=root, environ=dict(os.environ))
    rows = [
        {
            "level": j.level,
            "job": j.id,
            "decision": j.decision.value,
            "reason": j.reason,
            "cache": j.cache.value,
            "skipped_steps": ", ".join(j.skipped_steps),
            "cache_key": j.cache_key,
            "cached_run": j.cached_run,
            "matrix": dict(j.matrix),
            "needs": list(j.needs),
        }
        for j in result.jobs
    ]
    columns = [
        Column("level", justify="right"),
        Column("job"),
        Column("decision", styles=DECISION_STYLES),
        Column("reason"),
        Column("cache", styles=CACHE_STYLES),
        Column("cached_run", "from run"),
        Column("skipped_steps", "steps skipped"),
    ]
    fmt = resolve_format(output_format, app.output_format)
    emit(TableData(columns, rows, title=f"lego plan {path}", meta={"counts": result.counts()}), fmt)
    return ExitCode.OK
