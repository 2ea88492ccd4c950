"""``hucheng lego graph``: the job graph as a tree, Mermaid or Graphviz DOT."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hucheng.context import AppContext, pass_app
from hucheng.exitcodes import ExitCode
from hucheng.output.jsonout import write_json
from lego.commands.pipeline_options import pipeline_options

GRAPH_FORMATS = ["tree", "mermaid", "dot", "json"]


@click.command(name="graph")
@pipeline_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice(GRAPH_FORMATS),
    default=None,
    help="tree (default on a terminal), mermaid (default otherwise), dot, or json.",
)
@pass_app
def graph(app: AppContext, path: Path, brick_dirs: tuple[Path, ...], output_format: str | None) -> int:
    """Draw the pipeline's `needs` graph; a matrix job is one node with its instance count.

    \b
    Examples:
      hucheng lego graph
      hucheng lego graph --format mermaid > pipeline.mmd
      hucheng lego graph --format dot | dot -Tsvg > pipeline.svg
      hucheng lego graph --format json
    """
    from lego.spec import load_pipeline
    from lego.spec.graph import RENDERERS, as_data

    pipeline = load_pipeline(path, brick_dirs=brick_dirs)
    fmt = output_format or ("json" if app.output_format == "json" else None)
    if fmt is None:
        fmt = "tree" if sys.stdout.isatty() else "mermaid"
    if fmt == "json":
        write_json(as_data(pipeline), sys.stdout)
    else:
        click.echo(RENDERERS[fmt](pipeline), nl=False)
    return ExitCode.OK
