"""The ``fail_on`` threshold of the secrets scan (kept apart from config.py, so the library can use
it without importing the config layer)."""

from __future__ import annotations

from enum import StrEnum

from changcheng.findings import ScanReport, Severity


class SecretsFailOn(StrEnum):
    """The lowest severity that fails the scan (exit 1)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


def fails(report: ScanReport, fail_on: SecretsFailOn) -> bool:
    """True when a finding (not a suppressed one) is at or above ``fail_on``."""
    threshold = Severity(fail_on.value).rank
    return any(f.severity.rank >= threshold for f in report.findings)
