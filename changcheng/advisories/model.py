"""The parts of an OSV record (https://ossf.github.io/osv-schema/) that matching and reporting need.

Plain frozen dataclasses without ``__slots__``: the index pickles tens of thousands of them, and
unpickling a slotted dataclass goes through a Python ``__setstate__`` per object (3x slower).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from changcheng.advisories.names import canonical_version


class EventKind(StrEnum):
    INTRODUCED = "introduced"
    FIXED = "fixed"
    LAST_AFFECTED = "last_affected"
    LIMIT = "limit"


@dataclass(frozen=True)
class Event:
    kind: EventKind
    version: str


@dataclass(frozen=True)
class Range:
    """One ``ranges[]`` entry: ``type`` is ECOSYSTEM, SEMVER or GIT (GIT ranges are kept but not
    evaluated: they name commits, not releases)."""

    type: str
    events: tuple[Event, ...]


@dataclass(frozen=True)
class SeverityScore:
    """A ``severity[]`` entry: ``type`` CVSS_V2/CVSS_V3/CVSS_V4, ``score`` the vector string."""

    type: str
    score: str


@dataclass(frozen=True)
class Affected:
    ecosystem: str
    #: the package name as the record writes it
    name: str
    ranges: tuple[Range, ...]
    versions: tuple[str, ...]
    severity: tuple[SeverityScore, ...] = ()
    #: ``ecosystem_specific.severity`` or ``database_specific.severity`` of this entry, if any
    database_severity: str = ""
    #: the canonical forms (PEP 440: ``1.0.0`` -> ``1``) of listed versions that are not already
    #: written canonically; computed when the record is read (so once, at index time: unpickling
    #: does not call __init__), so that a warm scan compares strings only
    canonical_extra: frozenset[str] = field(default=frozenset(), init=False)

    def __post_init__(self) -> None:
        canon = {canonical_version(self.ecosystem, v) for v in self.versions}
        object.__setattr__(self, "canonical_extra", frozenset(canon - set(self.versions)))


@dataclass(frozen=True)
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
