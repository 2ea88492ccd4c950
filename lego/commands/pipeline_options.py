"""Options every command that reads a pipeline file shares: ``-f FILE`` and ``--bricks DIR``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


file_option = click.option(
    "-f",
    "--file",
    "path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=".lego.yml",
    show_default=True,
    help="The pipeline file.",
)


def pipeline_options(fn: F) -> F:
    fn = click.option(
        "--bricks",
        "brick_dirs",
        multiple=True,
        type=click.Path(path_type=Path, file_okay=False),
        metavar="DIR",
        help="Look for bricks here first (repeatable); then configs/lego/bricks and .lego/bricks.",
    )(fn)
    return file_option(fn)
