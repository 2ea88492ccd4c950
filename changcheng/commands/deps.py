"""``hucheng changcheng deps``: vulnerable dependencies from the offline advisory database.
Logic: changcheng.deps.run."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from changcheng.commands.reportout import output_options
from changcheng.deps.levels import FailOn, UnknownPolicy
from changcheng.report import EXTRA_FORMATS
from hucheng.context import AppContext, pass_app
from hucheng.output.format import format_option, resolve_format

db_option = click.option(
    "--db",
    "db",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="DIR|ZIP",
    help="Advisory database: a directory of OSV records or a zip (repeatable). "
    "Default: changcheng.deps.db, else what `db update` installed.",
)


@click.command(name="deps")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@db_option
@click.option("--env", is_flag=True, help="Also scan the distributions installed in this Python environment.")
@click.option(
    "--python",
    type=click.Path(path_type=Path, dir_okay=False),
    help="With --env: the interpreter whose packages to scan (e.g. .venv/bin/python).",
)
@click.option(
    "--fail-on", type=click.Choice([f.value for f in FailOn]), help="Lowest severity that fails (exit 1)."
)
@click.option(
    "--unknown",
    type=click.Choice([u.value for u in UnknownPolicy]),
    help="Findings without a severity: fail (default), warn or ignore.",
)
@click.option(
    "--ignore-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="YAML of accepted advisories (id, reason, ignore_until). Default: .changcheng-ignore.yaml in PATH.",
)
@output_options
@format_option(*EXTRA_FORMATS)
@pass_app
def command(
    app: AppContext,
    paths: tuple[Path, ...],
    db: tuple[Path, ...],
    env: bool,
    python: Path | None,
    fail_on: str | None,
    unknown: str | None,
    ignore_file: Path | None,
    output: Path | None,
    no_store: bool,
    output_format: str | None,
) -> int:
    """Find dependencies with known vulnerabilities, offline.

    \b
    Reads requirements*.txt, poetry.lock, Pipfile.lock, uv.lock, pylock.toml,
    pyproject.toml (where no lockfile is next to it) and package-lock.json under
    each PATH (default: .), and with --env the installed distributions.
    Exit 0 clean, 1 findings at or above --fail-on (or of unknown severity with
    --unknown fail), 2 bad input or no usable database.

    \b
    Examples:
      hucheng changcheng deps . --db ../shared/data/osv-pypa
      hucheng changcheng deps requirements.txt --fail-on high --unknown warn
      hucheng changcheng deps . --format sarif -o deps.sarif
      hucheng changcheng deps --env --format json
      hucheng changcheng deps --env --python .venv/bin/python
    """
    settings = app.settings()
    from changcheng.commands.reportout import write_report
    from changcheng.deps.run import DepsRequest, run_deps_scan
    from hucheng.output.progress import progress_display

    request = DepsRequest(
        paths=paths,
        env=env or python is not None,
        python=python,
        db=db,
        ignore_file=ignore_file,
        fail_on=FailOn(fail_on) if fail_on else None,
        unknown=UnknownPolicy(unknown) if unknown else None,
        root=Path("."),
    )
    with progress_display() as on_progress:
        outcome = run_deps_scan(request, settings.changcheng.deps, settings.home, on_progress=on_progress)
    if not no_store:
        from changcheng.alerting import record_and_alert

        with app.open_store() as store:
            record_and_alert(store, outcome.report, settings)
    write_report(outcome.report, resolve_format(output_format, app.output_format), output, sys.stdout)
    return outcome.exit_code
