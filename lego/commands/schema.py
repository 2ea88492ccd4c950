"""``hucheng lego schema``: the JSON Schema of the pipeline file (or of a brick file), for editors."""

from __future__ import annotations

import sys

import click

from hucheng.exitcodes import ExitCode
from hucheng.output.jsonout import write_json


@click.command(name="schema")
@click.option("--brick", is_flag=True, help="The schema of a brick file instead of .lego.yml.")
def schema(brick: bool) -> int:
    """Print the JSON Schema of .lego.yml (or, with --brick, of a brick file).

    \b
    Examples:
      hucheng lego schema > lego.schema.json
      hucheng lego schema --brick > brick.schema.json
      # VS Code (redhat.vscode-yaml), first line of .lego.yml:
      # yaml-language-server: $schema=./lego.schema.json
    """
    from lego.spec.schema import brick_json_schema, pipeline_json_schema

    write_json(brick_json_schema() if brick else pipeline_json_schema(), sys.stdout)
    return ExitCode.OK
