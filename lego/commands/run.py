"""``hucheng lego run``: run a pipeline locally. Logic: lego.run.engine."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

import click

from hucheng.context import AppContext, pass_app
from hucheng.output.format import format_option, resolve_format
from lego.commands.pipeline_options import file_option

if TYPE_CHECKING:
    from lego.run.context import LogView
    from lego.run.state import RunResult


@click.command(name="run")
@file_option
@click.option(
    "--job", "only", multiple=True, metavar="NAME", help="Run this job and what it needs (repeatable)."
)
@click.option(
    "--jobs", "parallel", type=click.IntRange(min=1), default=None, help="Jobs at once (default: CPUs)."
)
@click.option("--no-cache", is_flag=True, help="Run every job even when its cache key matches.")
@click.option(
    "--secret", "secret_names", multiple=True, metavar="NAME", help="Mask and pass this env variable."
)
@click.option(
    "--secrets-file", type=click.Path(path_type=Path, dir_okay=False), help="NAME=value lines (a .env file)."
)
@format_option()
@pass_app
def run(
    app: AppContext,
    path: Path,
    only: tuple[str, ...],
    parallel: int | None,
    no_cache: bool,
    secret_names: tuple[str, ...],
    secrets_file: Path | None,
    output_format: str | None,
) -> int:
    """Run a pipeline: its jobs as a DAG, each step a process in its own group.

    Exit codes: 0 success, 1 a job failed, 2 invalid pipeline, 130 cancelled (Ctrl-C, lego
    cancel, or its output closed: `lego run | head`).

    \b
    Examples:
      hucheng lego run
      hucheng lego run -f ci/.lego.yml --jobs 4 --job test
      hucheng lego run --secret PYPI_TOKEN --secrets-file .env --no-cache
      hucheng lego run --format json
    """
    from lego.commands.runner_edge import execute_with_edges
    from lego.pipecache import load_pipeline_cached
    from lego.run.engine import RunOptions, execute

    settings = app.settings()
    fmt = resolve_format(output_format, app.output_format)
    pipeline = load_pipeline_cached(path, home=settings.home)
    with app.open_store() as store:

        def start(view: LogView, cancel: threading.Event) -> RunResult:
            options = RunOptions(
                only=only,
                use_cache=not no_cache,
                secret_names=secret_names,
                secrets_file=secrets_file,
                view=view,
                cancel=cancel,
            )
            if parallel is not None:
                options.parallel = parallel
            return execute(pipeline, store=store, home=settings.home, options=options)

        return execute_with_edges(settings, fmt, start)
