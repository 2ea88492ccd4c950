"""``hucheng changcheng db``: install and inspect the offline advisory database.
Logic: changcheng.advisories.update and .status."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from changcheng.commands.deps import db_option
from hucheng.context import AppContext, pass_app
from hucheng.exitcodes import ExitCode
from hucheng.output.format import format_option, resolve_format
from hucheng.output.jsonout import write_json


@click.group(name="db")
def group() -> None:
    """Install and inspect the offline advisory database (OSV records).

    \b
    Examples:
      hucheng changcheng db update --from https://mirror.example.com/osv/PyPI/all.zip
      hucheng changcheng db update --from ../shared/data/osv-pypa
      hucheng changcheng db status
    """


@group.command(name="update")
@click.option(
    "--from",
    "origins",
    required=True,
    multiple=True,
    metavar="URL|PATH",
    help="A zip URL (a team's mirror of OSV's all.zip), a zip, or a directory of OSV records (repeatable).",
)
@format_option()
@pass_app
def update(app: AppContext, origins: tuple[str, ...], output_format: str | None) -> int:
    """Copy or fetch advisory sources into the hucheng home and index them.

    \b
    The new sources replace the installed ones only once every one of them
    was fetched and indexed; a failed update leaves the previous database.

    \b
    Examples:
      hucheng changcheng db update --from ../shared/data/osv-pypa
      hucheng changcheng db update --from https://osv.internal/PyPI/all.zip --from https://osv.internal/npm/all.zip
    """
    from changcheng.advisories.update import update_database
    from hucheng.output.progress import progress_display

    settings = app.settings()
    with progress_display() as on_progress:
        done = update_database(
            origins, settings.home, timeout=settings.changcheng.deps.fetch_timeout, on_progress=on_progress
        )
    rows = [
        {
            "origin": d.origin,
            "path": str(d.path),
            "records": sum(d.index.counts.values()),
            "invalid": d.index.invalid,
            "withdrawn": d.index.withdrawn,
        }
        for d in done
    ]
    if resolve_format(output_format, app.output_format) == "json":
        write_json({"sources": rows}, sys.stdout)
    else:
        for row in rows:
            click.echo(
                f"installed {row['origin']}: {row['records']} records"
                f" ({row['withdrawn']} withdrawn, {row['invalid']} invalid skipped) -> {row['path']}"
            )
    return ExitCode.OK


@group.command(name="status")
@db_option
@format_option()
@pass_app
def status(app: AppContext, db: tuple[Path, ...], output_format: str | None) -> int:
    """Show each advisory source: records per ecosystem, age, skipped records.

    \b
    Warns (exit 0) when a source is older than changcheng.deps.max_age_days.
    Exit 2 when there is no database or it is empty.

    \b
    Examples:
      hucheng changcheng db status
      hucheng changcheng db status --db ../shared/data/osv-pypa --format json
    """
    from changcheng.advisories.location import index_dir, resolve_sources
    from changcheng.advisories.status import database_status

    settings = app.settings()
    cfg = settings.changcheng.deps
    sources = resolve_sources(db, cfg.db, settings.home)
    result = database_status(sources, settings.home, index_dir(settings.home), max_age_days=cfg.max_age_days)
    if resolve_format(output_format, app.output_format) == "json":
        write_json(result, sys.stdout)
    else:
        _print_status(result)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    return ExitCode.OK


def _print_status(result: Any) -> None:
    from hucheng.output.table import Column, TableData, emit

    rows = [
        {
            "source": s.origin,
            "records": ", ".join(f"{eco} {n}" for eco, n in s.records.items()),
            "withdrawn": s.withdrawn,
            "invalid": s.invalid,
            "newest": s.newest_modified[:10],
            "updated": s.updated_at[:10],
            "age": "" if s.age_days is None else f"{s.age_days:.0f}d" + (" (stale)" if s.stale else ""),
        }
        for s in result.sources
    ]
    columns = [Column(k) for k in ("source", "records", "withdrawn", "invalid", "newest", "updated", "age")]
    emit(TableData(columns=columns, rows=rows, title="advisory database"), "table")
