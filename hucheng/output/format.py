"""The ``--format`` option: accepted on the root command and on every command that prints results."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


FORMATS = [f.value for f in OutputFormat]


def format_option(*extra: str) -> Callable[[F], F]:
    """``--format`` for a command; ``extra`` adds formats only this command writes (junit, sarif...)."""
    choices = FORMATS + [e for e in extra if e not in FORMATS]

    def decorate(fn: F) -> F:
        return click.option(
            "--format",
            "output_format",
            type=click.Choice(choices),
            default=None,
            help=f"Output format: {', '.join(choices)} (default: the root --format, else table).",
        )(fn)

    return decorate


def resolve_format(command_format: str | None, root_format: str | None) -> str:
    """The command's own ``--format`` wins over the root's; table when neither is given."""
    return command_format or root_format or OutputFormat.TABLE.value
