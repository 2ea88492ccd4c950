"""The ``changcheng.deps:`` section of hucheng.yaml."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from changcheng.deps.levels import FailOn, UnknownPolicy
from hucheng.config.section import Section

__all__ = ["DepsConfig", "FailOn", "UnknownPolicy"]


class DepsConfig(Section):
    """Settings for the deps scan."""

    db: list[Path] = Field(
        default_factory=list,
        description="advisory sources (directories of OSV records or zips); default: what "
        "`changcheng db update` installed under <home>/changcheng/advisories",
    )
    fail_on: FailOn = Field(
        default=FailOn.LOW,
        description="lowest severity that fails the scan (exit 1); low = any known vulnerability",
    )
    unknown: UnknownPolicy = Field(
        default=UnknownPolicy.FAIL,
        description="findings without a severity: fail (exit 1), warn, or ignore",
    )
    ignore_file: Path | None = Field(
        default=None,
        description="YAML file of accepted advisories (id, reason, ignore_until); "
        "default: .changcheng-ignore.yaml in the first scanned directory, if present",
    )
    max_age_days: int = Field(
        default=7, ge=1, description="`db status` and `deps` warn when the database is older than this"
    )
    fetch_timeout: float = Field(default=60.0, gt=0, description="seconds before `db update` gives up")
