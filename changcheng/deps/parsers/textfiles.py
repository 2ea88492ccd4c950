"""Reading TOML and JSON dependency files with positions: decode errors name file:line:col, and
entries are traced back to the line they start on (the decoders keep no positions)."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from changcheng.errors import LockfileError

_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_text(path: Path, display: str) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")  # a BOM (Windows editors) is not part of line 1
    except UnicodeDecodeError as exc:
        raise LockfileError(
            f"{display}: not UTF-8 text (byte {exc.start}); is it really a lockfile?"
        ) from exc
    except OSError as exc:
        raise LockfileError(f"{display}: cannot read: {exc.strerror or exc}") from exc


def load_toml(text: str, display: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        pos = _TOML_POS.search(msg)
        where = f"{display}:{pos.group(1)}:{pos.group(2)}" if pos else display
        raise LockfileError(f"{where}: not valid TOML ({_TOML_POS.sub('', msg).strip()})") from exc


def load_json(text: str, display: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise LockfileError(f"{display}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})") from exc


def toml_table_lines(text: str, header: str) -> list[int]:
    """For each ``[[header]]`` table in order, the line of its ``name = ...`` key (else the header's)."""
    out: list[int] = []
    in_table = False
    for n, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_table = stripped == f"[[{header}]]"
            if in_table:
                out.append(n)
            continue
        if in_table and re.match(r"name\s*=", stripped):
            out[-1] = n
            in_table = False
    return out


def json_key_lines(text: str, indent: int) -> dict[str, int]:
    """Line of the first ``"key": {`` at exactly ``indent`` spaces (how npm and pipenv format)."""
    pattern = re.compile(r"^ {" + str(indent) + r'}"((?:[^"\\]|\\.)+)"\s*:\s*\{')
    out: dict[str, int] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        m = pattern.match(line)
        if m and m.group(1) not in out:
            out[m.group(1)] = n
    return out


def line_of(lines: Iterable[str], *needles: str) -> int | None:
    """The first line containing any of ``needles``."""
    for n, line in enumerate(lines, start=1):
        if any(needle in line for needle in needles):
            return n
    return None


def named_tables(
    data: dict[str, Any], text: str, key: str, display: str
) -> Iterator[tuple[dict[str, Any], int | None]]:
    """Each ``[[key]]`` table of a lockfile with its line, checking that it is a named table
    (poetry.lock and uv.lock ``[[package]]``, pylock.toml ``[[packages]]``)."""
    tables = data.get(key, [])
    if not isinstance(tables, list):
        raise LockfileError(f"{display}:1: `{key}` must be an array of tables ([[{key}]])")
    lines = toml_table_lines(text, key)
    for n, table in enumerate(tables):
        line = lines[n] if n < len(lines) else None
        if not isinstance(table, dict) or not isinstance(table.get("name"), str):
            raise LockfileError(f"{display}:{line or 1}: a [[{key}]] entry has no name")
        yield table, line
