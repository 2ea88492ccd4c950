"""Writing a report where the user asked: stdout, or a file written whole and then renamed, so a CI
job never uploads half a SARIF file or half an SBOM."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import IO

from changcheng.errors import ChangchengError
from changcheng.findings import ScanReport
from changcheng.report import render


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
