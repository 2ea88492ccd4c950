"""What every changcheng scan produces: findings with a severity and a location, and a scan report.

Both scans (``deps``, ``secrets``) return a :class:`ScanReport`; every output format (table, JSON,
SARIF, JUnit, Markdown) renders a :class:`ScanReport`, so a format is written once for both scans.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    UNKNOWN = "unknown"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """Order for sorting and thresholds: low < medium < high < critical; unknown is handled by
        an explicit policy (``--unknown``), so it ranks 0 here."""
        return _RANK[self]


_RANK = {
    Severity.UNKNOWN: 0,
    Severity.LOW: 1,
    Severity.MEDIUM: 2,
    Severity.HIGH: 3,
    Severity.CRITICAL: 4,
}


class FindingKind(StrEnum):
    VULNERABILITY = "vulnerability"
    SECRET = "secret"


@dataclass(frozen=True)
class Location:
    """Where a finding is: a file (relative to the scan root, POSIX separators) and a 1-based line."""

    path: str
    line: int | None = None
    column: int | None = None
    end_column: int | None = None
    commit: str | None = None  # secrets found in git history
    author: str | None = None
    date: str | None = None  # ISO 8601


@dataclass(frozen=True)
class Finding:
    """One problem. ``rule_id`` is the advisory id (deps) or rule id (secrets); ``fingerprint`` is
    stable across runs (baselines, ignore files, first-seen dates in the store)."""

    kind: FindingKind
    rule_id: str
    title: str
    severity: Severity
    location: Location
    fingerprint: str
    message: str = ""
    aliases: tuple[str, ...] = ()
    help_uri: str = ""
    #: CVSS score when known (0.0-10.0); SARIF's security-severity
    score: float | None = None
    #: scan-specific details: package, installed and fixed versions for deps; the redacted match,
    #: entropy for secrets. JSON-serialisable values only.
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ScanReport:
    """The result of one scan: findings (worst first), what was ignored, counts and warnings."""

    scan: str  # "deps" or "secrets"
    tool_version: str
    findings: tuple[Finding, ...]
    #: findings suppressed by an ignore file, baseline or pragma, with the reason
    suppressed: tuple[tuple[Finding, str], ...] = ()
    #: what was looked at: files, dependencies, commits, skipped binary/large files, bad records ...
    stats: Mapping[str, int] = field(default_factory=dict)
    #: one-line warnings for the user (a stale database, an expired ignore entry, a rule not compiled)
    warnings: tuple[str, ...] = ()
    #: the scan root, for relative paths in SARIF (originalUriBaseIds)
    root: str = "."
