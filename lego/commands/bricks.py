"""``hucheng lego bricks``: the bricks a pipeline can use, with their versions and inputs."""

from __future__ import annotations

from pathlib import Path

import click

from hucheng.context import AppContext, pass_app
from hucheng.exitcodes import ExitCode
from hucheng.output.format import format_option, resolve_format
from hucheng.output.table import Column, TableData, emit
from lego.commands.pipeline_options import pipeline_options


@click.command(name="bricks")
@pipeline_options
@format_option()
@pass_app
def bricks(app: AppContext, path: Path, brick_dirs: tuple[Path, ...], output_format: str | None) -> int:
    """List the bricks `uses:` can name: --bricks directories, then configs/lego/bricks and
    .lego/bricks beside the pipeline file, then the starter set shipped with hucheng.

    \b
    Inputs are shown as name (type, default); `*` marks a required input.

    \b
    Examples:
      hucheng lego bricks
      hucheng lego bricks --bricks ci/bricks --format json
    """
    from lego.spec import default_brick_dirs
    from lego.spec.bricks import describe_inputs, list_bricks

    found = list_bricks([*brick_dirs, *default_brick_dirs(path)])
    rows = [
        {
            "brick": f"{b.spec.name}@{b.spec.version}",
            "name": b.spec.name,
            "version": b.spec.version,
            "status": b.spec.status,
            "description": b.spec.description + ("" if b.spec.status == "stable" else f" [{b.spec.status}]"),
            "inputs": describe_inputs(b),
            "outputs": list(b.spec.outputs),
            "file": b.doc.file,
        }
        for b in found
    ]
    columns = [Column("brick"), Column("description"), Column("inputs")]
    emit(TableData(columns, rows, title="lego bricks"), resolve_format(output_format, app.output_format))
    return ExitCode.OK
