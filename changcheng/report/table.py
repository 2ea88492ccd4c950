"""The terminal table: one row per finding, worst first, then the summary and any warnings."""

from __future__ import annotations

from typing import IO

from changcheng.findings import ScanReport
from changcheng.report.ordering import location_text, summary_line, worst_first
from hucheng.output.table import Column, TableData
from hucheng.output.table import render_table as draw

SEVERITY_STYLES = {"critical": "bold red", "high": "red", "medium": "yellow", "unknown": "magenta"}


def render_table(report: ScanReport, stream: IO[str]) -> None:
    rows = [
        {
            "severity": f.severity.value,
            "rule": f.rule_id,
            "location": location_text(f),
            "detail": f.message or f.title,
        }
        for f in worst_first(report.findings)
    ]
    columns = [
        Column("severity", styles=SEVERITY_STYLES),
        Column("rule"),
        Column("location"),
        Column("detail"),
    ]
    if rows:
        draw(TableData(columns=columns, rows=rows, title=f"changcheng {report.scan}"), stream)
    stream.write(summary_line(report.scan, report.findings, len(report.suppressed)) + "\n")
    if report.stats:  # what was read and what was skipped (binary, large, ignored files ...)
        stream.write("scanned: " + ", ".join(f"{k} {v:,}" for k, v in report.stats.items() if v) + "\n")
    for warning in report.warnings:
        stream.write(f"warning: {warning}\n")
