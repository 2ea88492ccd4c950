"""JUnit XML: one test case per finding (failed) and per suppressed finding (skipped), so CI test
reporters list each leaked secret or vulnerable dependency; a clean scan is one passing case."""

from __future__ import annotations

from typing import IO

from changcheng.findings import Finding, ScanReport
from changcheng.report.ordering import location_text, worst_first
from hucheng.output.junit import CaseResult, CaseStatus, SuiteResult, to_junit_xml


def _case(finding: Finding, status: CaseStatus, message: str) -> CaseResult:
    return CaseResult(
        name=f"{finding.rule_id} {location_text(finding)}",
        classname=f"changcheng.{finding.kind.value}.{finding.severity.value}",
        status=status,
        message=message,
        details=f"fingerprint: {finding.fingerprint}",
    )


def report_suite(report: ScanReport) -> SuiteResult:
    cases = [
        _case(f, CaseStatus.FAILED, f"[{f.severity.value}] {f.message or f.title}")
        for f in worst_first(report.findings)
    ]
    cases += [
        _case(f, CaseStatus.SKIPPED, f"suppressed: {reason}")
        for f, reason in sorted(report.suppressed, key=lambda item: item[0].fingerprint)
    ]
    if not cases:
        cases = [CaseResult(name="no findings", classname=f"changcheng.{report.scan}")]
    return SuiteResult(f"changcheng {report.scan}", cases)


def render_junit(report: ScanReport, stream: IO[str]) -> None:
    stream.write(to_junit_xml([report_suite(report)]))
