"""The parts of an OSV record (https://ossf.github.io/osv-schema/) that matching and reporting need."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EventKind(StrEnum):
    INTRODUCED = "introduced"
    FIXED = "fixed"
    LAST_AFFECTED = "last_affected"
    LIMIT = "limit"


@dataclass(frozen=True, slots=True)
class Event:
    kind: EventKind
    version: str


@dataclass(frozen=True, slots=True)
class Range:
    """One ``ranges[]`` entry: ``type`` is ECOSYSTEM, SEMVER or GIT (GIT ranges are kept but not
    evaluated: they name commits, not releases)."""

    type: str
    events: tuple[Event, ...]


@dataclass(frozen=True, slots=True)
class SeverityScore:
    """A ``severity[]`` entry: ``type`` CVSS_V2/CVSS_V3/CVSS_V4, ``score`` the vector string."""

    type: str
    score: str


@dataclass(frozen=True, slots=True)
class Affected:
    ecosystem: str
    #: the package name as the record writes it
    name: str
    ranges: tuple[Range, ...]
    versions: tuple[str, ...]
    severity: tuple[SeverityScore, ...] = ()
    #: ``ecosystem_specific.severity`` or ``database_specific.severity`` of this entry, if any
    database_severity: str = ""


@dataclass(frozen=True, slots=True)
class Advisory:
    id: str
    aliases: tuple[str, ...]
    summary: str
    details: str
    modified: str
    published: str
    withdrawn: str
    affected: tuple[Affected, ...]
    severity: tuple[SeverityScore, ...] = ()
    #: the record's top-level ``database_specific.severity`` (GitHub: LOW/MODERATE/HIGH/CRITICAL)
    database_severity: str = ""
    #: where the record came from (file inside the directory or zip), for messages
    origin: str = ""

    @property
    def title(self) -> str:
        """The summary, else the first line of the details, at most 120 characters."""
        text = self.summary or (self.details.strip().splitlines() or [self.id])[0]
        return text if len(text) <= 120 else text[:117] + "..."
