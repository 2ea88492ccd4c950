"""Dependency-file parsers, one module each, registered in :data:`PARSERS` (name -> Parser).

The installed environment (``--env``) is not a file and lives in :mod:`.environment`.
"""

from __future__ import annotations

from changcheng.deps.parsers import (
    npm_lock,
    pipfile_lock,
    poetry_lock,
    pylock,
    pyproject,
    requirements,
    uv_lock,
)
from changcheng.deps.parsers.interface import Parser

PARSERS: dict[str, Parser] = {
    p.name: p
    for p in (
        requirements.PARSER,
        poetry_lock.PARSER,
        pipfile_lock.PARSER,
        uv_lock.PARSER,
        pylock.PARSER,
        pyproject.PARSER,
        npm_lock.PARSER,
    )
}


def parser_for(filename: str) -> Parser | None:
    return next((p for p in PARSERS.values() if p.matches(filename)), None)


__all__ = ["PARSERS", "Parser", "parser_for"]
