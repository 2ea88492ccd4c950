"""``hucheng lego validate``: every problem in a pipeline file, each with file:line:col."""

from __future__ import annotations

from pathlib import Path

import click

from hucheng.context import AppContext, pass_app
from hucheng.exitcodes import ExitCode
from hucheng.output.format import format_option, resolve_format
from hucheng.output.table import Column, TableData, emit
from lego.commands.pipeline_options import pipeline_options


@click.command(name="validate")
@pipeline_options
@format_option()
@pass_app
def validate(app: AppContext, path: Path, brick_dirs: tuple[Path, ...], output_format: str | None) -> int:
    """Check a pipeline without running it: exit 0 when valid, 2 when not.

    \b
    Checks the YAML, unknown keys (with did-you-mean), types and durations,
    `needs` naming no job, cycles (with the path), bricks (found? inputs
    known, required inputs given, types), matrices, and every ${{ }}
    expression: syntax (with the column), functions, and names such as
    matrix.X or needs.JOB that cannot resolve.

    \b
    Examples:
      hucheng lego validate
      hucheng lego validate -f ci/pipeline.yml --bricks ci/bricks
      hucheng lego validate --format json
    """
    from lego.spec.validate import validate as check

    problems = check(path, brick_dirs=brick_dirs)
    fmt = resolve_format(output_format, app.output_format)
    rows = [
        {
            "where": p.where,
            "file": p.pos.file,
            "line": p.pos.line,
            "column": p.pos.column,
            "kind": p.kind.value,
            "problem": p.message,
        }
        for p in problems
    ]
    if fmt == "json" or problems:
        columns = [Column("where"), Column("kind"), Column("problem")]
        meta = {"file": str(path), "valid": not problems}
        emit(TableData(columns, rows, title=f"lego validate {path}", meta=meta), fmt)
    else:
        click.echo(f"{path}: valid")
    return ExitCode.USAGE if problems else ExitCode.OK
