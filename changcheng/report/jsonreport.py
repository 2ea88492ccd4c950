"""The JSON report: the whole :class:`ScanReport`, findings worst first, with a summary."""

from __future__ import annotations

from typing import IO, Any

from changcheng.findings import Finding, ScanReport
from changcheng.report.ordering import severity_counts, worst_first
from hucheng.output.jsonout import to_jsonable, write_json


def finding_json(finding: Finding) -> dict[str, Any]:
    out: dict[str, Any] = to_jsonable(finding)
    return out


def report_json(report: ScanReport) -> dict[str, Any]:
    return {
        "scan": report.scan,
        "tool": "changcheng",
        "tool_version": report.tool_version,
        "root": report.root,
        "summary": {
            "findings": len(report.findings),
            "suppressed": len(report.suppressed),
            "by_severity": severity_counts(report.findings),
        },
        "stats": dict(report.stats),
        "warnings": list(report.warnings),
        "findings": [finding_json(f) for f in worst_first(report.findings)],
        "suppressed": [
            {"reason": reason, "finding": finding_json(f)}
            for f, reason in sorted(report.suppressed, key=lambda item: item[0].fingerprint)
        ],
    }


def render_json(report: ScanReport, stream: IO[str]) -> None:
    write_json(report_json(report), stream)
