"""``hucheng lego resume RUN``: continue a run whose runner was killed. Logic: lego.run.engine.resume."""

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


@click.command(name="resume")
@click.argument("run_id", metavar="RUN")
@click.option(
    "--jobs", "parallel", type=click.IntRange(min=1), default=None, help="Jobs at once (default: CPUs)."
)
@click.option(
    "--secret", "secret_names", multiple=True, metavar="NAME", help="Mask and pass this env variable."
)
@click.option("--secrets-file", type=click.Path(path_type=Path, dir_okay=False), help="NAME=value lines.")
@format_option()
@pass_app
def resume(
    app: AppContext,
    run_id: str,
    parallel: int | None,
    secret_names: tuple[str, ...],
    secrets_file: Path | None,
    output_format: str | None,
) -> int:
    """Continue a run after its runner died (SIGKILL, a crash, a reboot) or after `lego approve`.

    Jobs that finished keep their result; jobs that were running are run again (their leftover
    processes are killed first); the rest run as usual.

    \b
    Examples:
      hucheng lego resume 20240501-101500-a1b2c3
      hucheng lego resume 20240501-101500-a1b2c3 --secrets-file .env
    """
    from lego.commands.runner_edge import execute_with_edges
    from lego.run.engine import RunOptions
    from lego.run.engine import resume as resume_run

    settings = app.settings()
    fmt = resolve_format(output_format, app.output_format)
    with app.open_store() as store:

        def start(view: LogView, cancel: threading.Event) -> RunResult:
            options = RunOptions(
                secret_names=secret_names, secrets_file=secrets_file, view=view, cancel=cancel
            )
            if parallel is not None:
                options.parallel = parallel
            return resume_run(run_id, store=store, home=settings.home, options=options)

        return execute_with_edges(settings, fmt, start)
