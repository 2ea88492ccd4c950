"""Severity of an advisory: from its CVSS vectors (computed with ``cvss``), else the database's own
label, else unknown. The highest-versioned vector wins (v4 over v3 over v2): it is the newest
assessment; among vectors of one version, the highest score."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from changcheng.advisories.model import Advisory, SeverityScore
from changcheng.findings import Severity

log = logging.getLogger(__name__)

_VERSION_RANK = {"CVSS_V4": 4, "CVSS_V3": 3, "CVSS_V2": 2}

#: database labels (GitHub's LOW/MODERATE/HIGH/CRITICAL and the usual spellings) -> Severity
_LABELS = {
    "LOW": Severity.LOW,
    "MODERATE": Severity.MEDIUM,
    "MEDIUM": Severity.MEDIUM,
    "HIGH": Severity.HIGH,
    "IMPORTANT": Severity.HIGH,
    "CRITICAL": Severity.CRITICAL,
}


@dataclass(frozen=True)
class Rated:
    severity: Severity
    score: float | None = None
    vector: str = ""
    #: "cvss" or "database" or "" (unknown)
    basis: str = ""


def from_score(score: float) -> Severity:
    """CVSS qualitative rating (v3/v4): 0.1-3.9 low, 4-6.9 medium, 7-8.9 high, 9-10 critical; a
    score of 0.0 ("none") is reported as low: the record still says the package is affected."""
    if score >= 9.0:
        return Severity.CRITICAL
    if score >= 7.0:
        return Severity.HIGH
    if score >= 4.0:
        return Severity.MEDIUM
    return Severity.LOW


def cvss_score(entry: SeverityScore) -> float | None:
    """The base score of one vector; None when it is not a CVSS vector or does not parse."""
    import cvss

    try:
        if entry.type == "CVSS_V4":
            return float(cvss.CVSS4(entry.score).base_score)
        if entry.type == "CVSS_V3":
            return float(cvss.CVSS3(entry.score).scores()[0])
        if entry.type == "CVSS_V2":
            return float(cvss.CVSS2(entry.score).scores()[0])
    except (cvss.CVSSError, ValueError, KeyError, TypeError) as exc:
        log.info("unparsable %s vector %r: %s", entry.type, entry.score, exc)
    return None


def rate(advisory: Advisory) -> Rated:
    entries: Iterable[SeverityScore] = list(advisory.severity) + [
        s for a in advisory.affected for s in a.severity
    ]
    best: tuple[int, float, str] | None = None
    for entry in entries:
        rank = _VERSION_RANK.get(entry.type)
        if rank is None:
            continue
        score = cvss_score(entry)
        if score is not None and (best is None or (rank, score) > best[:2]):
            best = (rank, score, entry.score)
    if best is not None:
        return Rated(from_score(best[1]), best[1], best[2], "cvss")
    labels = [advisory.database_severity] + [a.database_severity for a in advisory.affected]
    known = [_LABELS[label] for label in labels if label in _LABELS]
    if known:
        return Rated(max(known, key=lambda s: s.rank), None, "", "database")
    return Rated(Severity.UNKNOWN)
