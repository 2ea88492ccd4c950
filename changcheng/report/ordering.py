"""What every format agrees on: the order of findings (worst first) and counts by severity."""

from __future__ import annotations

from collections.abc import Iterable

from changcheng.findings import Finding, Severity

#: severities from worst to least; ``unknown`` sits between medium and low: it is not known to be
#: harmless, and the deps scan fails on it by default
SEVERITY_ORDER: tuple[Severity, ...] = (
    Severity.CRITICAL,
    Severity.HIGH,
    Severity.MEDIUM,
    Severity.UNKNOWN,
    Severity.LOW,
)
_POSITION = {sev: i for i, sev in enumerate(SEVERITY_ORDER)}


def sort_key(finding: Finding) -> tuple[int, float, str, int, str, str]:
    loc = finding.location
    return (
        _POSITION[finding.severity],
        -(finding.score or 0.0),
        loc.path,
        loc.line or 0,
        finding.rule_id,
        finding.fingerprint,
    )


def worst_first(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=sort_key)


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """``{"critical": n, ...}`` in worst-first order, every severity present (zeros included)."""
    counts = {sev.value: 0 for sev in SEVERITY_ORDER}
    for finding in findings:
        counts[finding.severity.value] += 1
    return counts


def location_text(finding: Finding) -> str:
    """``path:line`` (and ``@commit`` for history findings) for tables and Markdown."""
    loc = finding.location
    text = loc.path if loc.line is None else f"{loc.path}:{loc.line}"
    return f"{text}@{loc.commit[:12]}" if loc.commit else text


def summary_line(scan: str, findings: Iterable[Finding], suppressed: int) -> str:
    items = list(findings)
    counts = ", ".join(f"{n} {sev}" for sev, n in severity_counts(items).items() if n)
    text = f"changcheng {scan}: {len(items)} finding(s)" + (f" ({counts})" if counts else "")
    return text + (f", {suppressed} suppressed" if suppressed else "")
