"""``hucheng lego retry RUN``: a new run of the same pipeline. Logic: lego.run.engine.retry."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

import click

from hucheng.context import AppContext, pass_app
from hucheng.output.format import format_option, resolve_format

if TYPE_CHECKING:
    from lego.run.context import LogView
    from lego.run.state import RunResult


@click.command(name="retry")
@click.argument("run_id", metavar="RUN")
@click.option("--failed", "failed_only", is_flag=True, help="Re-run only jobs that did not succeed.")
@click.option(
    "--jobs", "parallel", type=click.IntRange(min=1), default=None, help="Jobs at once (default: CPUs)."
)
@click.option("--no-cache", is_flag=True, help="Run every job even when its cache key matches.")
@click.option(
    "--secret", "secret_names", multiple=True, metavar="NAME", help="Mask and pass this env variable."
)
@click.option("--secrets-file", type=click.Path(path_type=Path, dir_okay=False), help="NAME=value lines.")
@format_option()
@pass_app
def retry(
    app: AppContext,
    run_id: str,
    failed_only: bool,
    parallel: int | None,
    no_cache: bool,
    secret_names: tuple[str, ...],
    secrets_file: Path | None,
    output_format: str | None,
) -> int:
    """Run an earlier run's pipeline again, as it ran (its saved definition), as a new run.

    With --failed, jobs that succeeded are reused (their outputs and artifacts) and only the failed,
    cancelled and skipped ones run.

    \b
    Examples:
      hucheng lego retry 20240501-101500-a1b2c3 --failed
      hucheng lego retry 20240501-101500-a1b2c3 --format json
    """
    from lego.commands.runner_edge import execute_with_edges
    from lego.run.engine import RunOptions
    from lego.run.engine import retry as retry_run

    settings = app.settings()
    fmt = resolve_format(output_format, app.output_format)
    with app.open_store() as store:

        def start(view: LogView, cancel: threading.Event) -> RunResult:
            options = RunOptions(
                use_cache=not no_cache,
                secret_names=secret_names,
                secrets_file=secrets_file,
                view=view,
                cancel=cancel,
            )
            if parallel is not None:
                options.parallel = parallel
            return retry_run(
                run_id, store=store, home=settings.home, options=options, failed_only=failed_only
            )

        return execute_with_edges(settings, fmt, start)
