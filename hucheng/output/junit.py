"""JUnit XML, the format CI systems (GitLab, Jenkins, GitHub test reporters) read.

Written with junitparser, which also reads the many JUnit dialects in the wild (mojing and lego
ingest reports with it), so one library covers both directions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import IO


class CaseStatus(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class CaseResult:
    name: str
    classname: str
    status: CaseStatus = CaseStatus.PASSED
    seconds: float = 0.0
    message: str = ""
    details: str = ""
    stdout: str = ""


@dataclass(frozen=True)
class SuiteResult:
    name: str
    cases: Sequence[CaseResult] = field(default_factory=tuple)


def to_junit_xml(suites: Sequence[SuiteResult]) -> str:
    """The ``<testsuites>`` document for ``suites``, with counts and times filled in."""
    from junitparser import Error, Failure, JUnitXml, Skipped, SystemOut, TestCase, TestSuite

    xml = JUnitXml()
    for suite in suites:
        ts = TestSuite(suite.name)
        for case in suite.cases:
            tc = TestCase(case.name, classname=case.classname, time=round(case.seconds, 3))
            if case.status is CaseStatus.FAILED:
                tc.result = [Failure(case.message, "failure")]
            elif case.status is CaseStatus.ERROR:
                tc.result = [Error(case.message, "error")]
            elif case.status is CaseStatus.SKIPPED:
                tc.result = [Skipped(case.message)]
            if case.details and tc.result:
                tc.result[0].text = case.details
            if case.stdout:
                tc.append(SystemOut(case.stdout))
            ts.add_testcase(tc)
        ts.update_statistics()
        xml.add_testsuite(ts)
    xml.update_statistics()
    text: str = xml.tostring().decode("utf-8")
    return text if text.startswith("<?xml") else '<?xml version="1.0" encoding="utf-8"?>\n' + text


def write_junit(suites: Sequence[SuiteResult], out: Path | IO[str]) -> None:
    text = to_junit_xml(suites)
    if isinstance(out, Path):
        out.write_text(text, encoding="utf-8")
    else:
        out.write(text)
