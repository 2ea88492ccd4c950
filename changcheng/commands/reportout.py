"""Writing a report where the user asked: stdout, or a file written whole and then renamed, so a CI
job never uploads half a SARIF file or half an SBOM."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from changcheng.errors import ChangchengError
from changcheng.findings import ScanReport
from changcheng.report import render

F = TypeVar("F", bound=Callable[..., Any])


def output_options(fn: F) -> F:
    """``-o/--output FILE`` and ``--no-store``, which both scans take."""
    fn = click.option("--no-store", is_flag=True, help="Do not record the findings in the store.")(fn)
    return click.option(
        "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write the report here."
    )(fn)


def write_report(report: ScanReport, fmt: str, output: Path | None, stdout: IO[str]) -> None:
    if output is None:
        render(report, fmt, stdout)
        return
    buf = io.StringIO()
    render(report, fmt, buf)
    write_text_atomic(output, buf.getvalue())


def write_text_atomic(output: Path, text: str) -> None:
    directory = output.parent if str(output.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{output.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, output)
    except OSError as exc:
        raise ChangchengError(f"cannot write {output}: {exc.strerror or exc}") from exc
