"""JUnit XML reports a job declares (``junit:`` globs), parsed with junitparser into test cases."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

from lego.run.artifacts import expand_globs
from lego.run.state import TestCaseResult

log = logging.getLogger(__name__)


def parse_reports(patterns: Iterable[str], base: Path) -> tuple[list[TestCaseResult], list[str]]:
    """Test cases from every report matched under ``base``, and one problem line per unreadable report
    or pattern that matched no file."""
    cases: list[TestCaseResult] = []
    unmatched: list[str] = []
    files = expand_globs(patterns, base, unmatched)
    problems = [f"warning: junit: {pattern} matched no file" for pattern in unmatched]
    for rel in files:
        try:
            cases.extend(parse_report(base / rel, rel))
        except Exception as exc:  # junitparser raises lxml/ElementTree errors of many kinds
            problems.append(f"JUnit report {rel} cannot be read: {type(exc).__name__}: {exc}")
    return cases, problems


def summary(cases: Sequence[TestCaseResult]) -> str:
    """``JUnit: 12 tests in 2 reports (1 failed, 3 skipped)``."""
    reports = len({c.report for c in cases})
    counts = {s: sum(1 for c in cases if c.status == s) for s in ("failed", "error", "skipped")}
    shown = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    return f"JUnit: {len(cases)} tests in {reports} report{'s' if reports != 1 else ''}" + (
        f" ({shown})" if shown else ""
    )


def parse_report(path: Path, name: str) -> list[TestCaseResult]:
    from junitparser import Error, Failure, JUnitXml, Skipped, TestSuite

    xml = JUnitXml.fromfile(str(path))
    suites = [xml] if isinstance(xml, TestSuite) else list(xml)
    out: list[TestCaseResult] = []
    for suite in suites:
        for case in suite:
            status, message = "passed", ""
            for result in case.result:
                if isinstance(result, Failure):
                    status = "failed"
                elif isinstance(result, Error):
                    status = "error"
                elif isinstance(result, Skipped):
                    status = "skipped"
                else:
                    continue
                first = str(result.message or result.text or "").strip().splitlines()[:1]
                message = first[0][:500] if first else ""
                break
            out.append(
                TestCaseResult(
                    name=case.name or "",
                    classname=case.classname or "",
                    suite=suite.name or "",
                    status=status,
                    duration_seconds=max(float(case.time or 0.0), 0.0),
                    message=message,
                    report=name,
                )
            )
    return out
