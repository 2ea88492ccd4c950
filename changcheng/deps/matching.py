"""OSV matching: is a version affected by an ``affected[]`` entry, and which release fixes it.

A version is affected when the entry's explicit ``versions`` list names it, or when one of its
ECOSYSTEM/SEMVER ranges contains it. A range is evaluated as the OSV schema says: events sorted in
version order, ``introduced`` opens, ``fixed`` closes (at that version), ``last_affected`` closes
after that version, and a ``limit`` excludes everything at or above it. ``introduced: "0"`` is below
every version. GIT ranges name commits, not releases, and are not evaluated.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from changcheng.advisories.model import Affected, EventKind, Range
from changcheng.deps.versions import (
    BOTTOM,
    Parser,
    UnparsableVersion,
    canonical,
    scheme_for,
)

#: at equal versions a ``fixed: X`` closes before an ``introduced: X`` opens, so adjacent intervals
#: ([0, X) and [X, Y)) join, as records that list them out of order mean (PYSEC-2022-236)
_ORDER = {EventKind.FIXED: 0, EventKind.INTRODUCED: 1, EventKind.LAST_AFFECTED: 2, EventKind.LIMIT: 3}


class Matcher:
    """Matching with per-scan caches (parsed versions and range events, canonical version sets)."""

    def __init__(self) -> None:
        self._canon: dict[int, frozenset[str]] = {}
        self._events: dict[int, list[tuple[Any, EventKind, str]] | None] = {}
        self._versions: dict[tuple[Parser, str], Any] = {}

    def parse(self, parse: Parser, text: str) -> Any:
        """``parse(text)``, once per scan; UnparsableVersion as the parser raises it."""
        key = (parse, text)
        if key not in self._versions:
            try:
                self._versions[key] = BOTTOM if text == "0" else parse(text)
            except UnparsableVersion as exc:
                self._versions[key] = exc
        value = self._versions[key]
        if isinstance(value, UnparsableVersion):
            raise value
        return value

    def affects(self, affected: Affected, version: str) -> bool:
        return self.listed(affected, version) or bool(self.range_affects(affected, version))

    def listed(self, affected: Affected, version: str) -> bool:
        """Named by the list, compared as the ecosystem compares versions (PEP 440: 1.0 == 1.0.0)."""
        if version in affected.versions:
            return True
        key = id(affected)
        if key not in self._canon:
            self._canon[key] = frozenset(affected.versions) | affected.canonical_extra
        return canonical(affected.ecosystem, version) in self._canon[key]

    def range_affects(self, affected: Affected, version: str) -> bool | None:
        """True/False from the ranges; None when no range can be evaluated for this version."""
        verdict: bool | None = None
        for rng in affected.ranges:
            result = self._in_range(rng, affected.ecosystem, version)
            if result:
                return True
            if result is False:
                verdict = False
        return verdict

    def fixed_above(self, affected: Affected, version: str) -> list[str]:
        """The ``fixed`` versions above ``version``, lowest first."""
        out: list[tuple[Any, str]] = []
        for rng in affected.ranges:
            parse = scheme_for(rng.type, affected.ecosystem)
            events = self._parsed(rng, affected.ecosystem)
            if parse is None or events is None:
                continue
            try:
                v = self.parse(parse, version)
            except UnparsableVersion:
                continue
            out.extend((key, text) for key, kind, text in events if kind is EventKind.FIXED and key > v)
        return [text for _, text in sorted(out, key=lambda kt: kt[0])]

    def _in_range(self, rng: Range, ecosystem: str, version: str) -> bool | None:
        parse = scheme_for(rng.type, ecosystem)
        events = self._parsed(rng, ecosystem)
        if parse is None or events is None:
            return None
        try:
            v = self.parse(parse, version)
        except UnparsableVersion:
            return None
        return evaluate(events, v)

    def _parsed(self, rng: Range, ecosystem: str) -> list[tuple[Any, EventKind, str]] | None:
        key = id(rng)
        if key not in self._events:
            parse = scheme_for(rng.type, ecosystem)
            try:
                self._events[key] = (
                    None
                    if parse is None
                    else sorted(
                        ((self.parse(parse, e.version), e.kind, e.version) for e in rng.events),
                        key=lambda t: (t[0], _ORDER[t[1]]),
                    )
                )
            except UnparsableVersion:
                self._events[key] = None
        return self._events[key]


def evaluate(events: Iterable[tuple[Any, EventKind, str]], v: Any) -> bool:
    """OSV's algorithm over events already sorted in version order."""
    affected = False
    limits = []
    for key, kind, _ in events:
        if kind is EventKind.INTRODUCED and v >= key:
            affected = True
        elif (kind is EventKind.FIXED and v >= key) or (kind is EventKind.LAST_AFFECTED and v > key):
            affected = False
        elif kind is EventKind.LIMIT:
            limits.append(key)
    if affected and limits and not any(v < limit for limit in limits):
        return False
    return affected


def named_versions(affected: Affected) -> set[str]:
    """Every release the entry names (its list and its range events): the candidates a version range
    is checked against when the exact version is not known (offline, these are all we know of)."""
    out = set(affected.versions)
    for rng in affected.ranges:
        if rng.type != "GIT":
            out.update(e.version for e in rng.events if e.version != "0")
    return out


__all__ = ["BOTTOM", "Matcher", "Parser", "evaluate", "named_versions"]
