"""Tabular results, rendered as a rich table on a terminal or as JSON.

A command builds one :class:`TableData` and hands it to :func:`emit`; it never formats by hand.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from hucheng.output.jsonout import to_jsonable


@dataclass(frozen=True)
class Column:
    key: str
    header: str = ""
    justify: str = "left"
    #: rich style applied per cell, chosen from the cell's value (e.g. red for "missing")
    styles: Mapping[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.header or self.key


@dataclass(frozen=True)
class TableData:
    columns: Sequence[Column]
    rows: Sequence[Mapping[str, Any]]
    title: str = ""
    #: extra top-level fields in JSON output (e.g. a summary)
    meta: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> Any:
        if self.meta:
            return {**to_jsonable(dict(self.meta)), "items": to_jsonable(list(self.rows))}
        return to_jsonable(list(self.rows))


_UNBOUNDED = 100_000  # columns to measure a table's natural width in


def render_table(data: TableData, stream: IO[str] | None = None) -> None:
    from rich.console import Console
    from rich.measure import Measurement
    from rich.table import Table

    console = Console(file=stream or sys.stdout, soft_wrap=False)
    table = Table(title=data.title or None, show_lines=False)
    for col in data.columns:
        table.add_column(col.title, justify=col.justify)  # type: ignore[arg-type]
    for row in data.rows:
        cells = []
        for col in data.columns:
            value = row.get(col.key, "")
            text = "" if value is None else str(value)
            style = col.styles.get(text)
            cells.append(f"[{style}]{_escape(text)}[/{style}]" if style else _escape(text))
        table.add_row(*cells)
    if not console.is_terminal:
        # a pipe or a CI log has no edge to fit: keep every value whole (a run id cut to "20261125…"
        # cannot be copied into the next command) instead of squeezing the table into 80 columns
        natural = Measurement.get(console, console.options.update_width(_UNBOUNDED), table).maximum
        console.width = max(console.width, natural)
    console.print(table)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def emit(data: TableData, fmt: str, stream: IO[str] | None = None) -> None:
    """Write ``data`` in ``fmt`` (``table`` or ``json``) to ``stream`` (stdout by default)."""
    out = stream or sys.stdout
    if fmt == "json":
        json.dump(data.to_json(), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        render_table(data, out)
