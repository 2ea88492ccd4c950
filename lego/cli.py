"""``hucheng lego`` (alias ``pipeline``): the command-line layer over the lego library."""

from __future__ import annotations

import click

from hucheng.lazycommands import LazyCommands

#: subcommand -> ("module:attr", short help); one module per command under lego.commands
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": (
        "lego.commands.validate:validate",
        "Check a pipeline file: schema, needs, cycles, bricks, expressions.",
    ),
    "plan": (
        "lego.commands.plan:plan",
        "Dry run: expanded jobs in order, what conditions and the cache skip.",
    ),
    "graph": ("lego.commands.graph:graph", "Draw the job graph: tree, Mermaid or DOT."),
    "bricks": ("lego.commands.bricks:bricks", "List the bricks a pipeline can use, with their inputs."),
    "schema": (
        "lego.commands.schema:schema",
        "Print the JSON Schema of .lego.yml (or a brick), for editors.",
    ),
    # running (lego-runner)
    "run": ("lego.commands.run:run", "Run a pipeline locally."),
    "runs": ("lego.commands.runs:runs", "List the newest runs."),
    "show": ("lego.commands.show:show", "Show a run and its jobs."),
    "logs": ("lego.commands.logs:logs", "Print (or follow) a run's logs."),
    "retry": ("lego.commands.retry:retry", "Run an earlier run again (--failed: only what failed)."),
    "resume": ("lego.commands.resume:resume", "Continue a run whose runner was killed."),
    "cancel": ("lego.commands.cancel:cancel", "Cancel a running pipeline."),
    "approve": ("lego.commands.approve:approve", "Approve a manual job."),
}


@click.group(name="lego", cls=LazyCommands, lazy=COMMANDS)
def group() -> None:
    """Lego (乐高): pipelines built from reusable bricks, run locally as a DAG."""
