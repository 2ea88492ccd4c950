"""Output formats for a :class:`changcheng.findings.ScanReport`: one module per format.

    from changcheng.report import render, REPORT_FORMATS
    render(report, "sarif", sys.stdout)

Every format renders the same :class:`ScanReport` (deps and secrets alike), worst finding first.
Redaction is the scanner's job: a secret finding carries only its redacted match unless the user
asked for ``--no-redact``, so no format can leak what the scan did not keep.
"""

from __future__ import annotations

import importlib
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from changcheng.findings import ScanReport


class ReportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"
    MARKDOWN = "markdown"


class Renderer(Protocol):
    def __call__(self, report: ScanReport, stream: IO[str]) -> None: ...


#: format -> "module:function"; one module per format, imported only when used
RENDERERS: dict[ReportFormat, str] = {
    ReportFormat.TABLE: "changcheng.report.table:render_table",
    ReportFormat.JSON: "changcheng.report.jsonreport:render_json",
    ReportFormat.SARIF: "changcheng.report.sarif:render_sarif",
    ReportFormat.JUNIT: "changcheng.report.junit:render_junit",
    ReportFormat.MARKDOWN: "changcheng.report.markdown:render_markdown",
}

#: the formats a changcheng command accepts, for ``hucheng.output.format.format_option(*EXTRA_FORMATS)``
REPORT_FORMATS: tuple[str, ...] = tuple(f.value for f in ReportFormat)
EXTRA_FORMATS: tuple[str, ...] = tuple(f for f in REPORT_FORMATS if f not in ("table", "json"))


def renderer(fmt: str | ReportFormat) -> Renderer:
    """The render function for ``fmt``; ValueError for a format that does not exist."""
    module, _, attr = RENDERERS[ReportFormat(fmt)].partition(":")
    fn: Renderer = getattr(importlib.import_module(module), attr)
    return fn


def render(report: ScanReport, fmt: str | ReportFormat, stream: IO[str]) -> None:
    """Write ``report`` to ``stream`` in ``fmt`` (table, json, sarif, junit, markdown)."""
    renderer(fmt)(report, stream)
