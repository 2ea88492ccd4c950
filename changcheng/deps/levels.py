"""The choices of the scan's failure policy (``--fail-on``, ``--unknown``); no imports, so the CLI
can build its options without loading the config machinery."""

from __future__ import annotations

from enum import StrEnum


class FailOn(StrEnum):
    """The lowest severity that fails the scan (exit 1)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class UnknownPolicy(StrEnum):
    """What a finding of unknown severity does: fail the scan, warn only, or nothing."""

    FAIL = "fail"
    WARN = "warn"
    IGNORE = "ignore"
