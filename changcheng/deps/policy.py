"""Which findings fail the scan: at or above ``--fail-on``, and unknown severity per ``--unknown``."""

from __future__ import annotations

from collections.abc import Iterable

from changcheng.deps.levels import FailOn, UnknownPolicy
from changcheng.findings import Finding, Severity
from hucheng.exitcodes import ExitCode

_THRESHOLD = {FailOn.LOW: 1, FailOn.MEDIUM: 2, FailOn.HIGH: 3, FailOn.CRITICAL: 4}


def failing(findings: Iterable[Finding], fail_on: FailOn, unknown: UnknownPolicy) -> list[Finding]:
    out = []
    for f in findings:
        if f.severity is Severity.UNKNOWN:
            if unknown is UnknownPolicy.FAIL:
                out.append(f)
        elif f.severity.rank >= _THRESHOLD[fail_on]:
            out.append(f)
    return out


def exit_code(findings: Iterable[Finding], fail_on: FailOn, unknown: UnknownPolicy) -> ExitCode:
    return ExitCode.FINDINGS if failing(findings, fail_on, unknown) else ExitCode.OK


def unknown_warning(findings: Iterable[Finding], unknown: UnknownPolicy) -> str | None:
    count = sum(1 for f in findings if f.severity is Severity.UNKNOWN)
    if count and unknown is UnknownPolicy.WARN:
        return (
            f"{count} finding(s) have no severity in the database and do not fail the scan (--unknown warn)"
        )
    return None
