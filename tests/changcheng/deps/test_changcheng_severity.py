"""Severity from CVSS vectors (v4 over v3), else the database's label, else unknown."""

from __future__ import annotations

from changcheng.advisories.model import Advisory, Affected, SeverityScore
from changcheng.deps.severity import from_score, rate
from changcheng.findings import Severity

V3_CRITICAL = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
V3_MEDIUM = "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N"
V4_HIGH = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N"


def adv(severity: tuple[SeverityScore, ...] = (), db: str = "", affected_db: str = "") -> Advisory:
    affected = Affected("PyPI", "x", (), (), (), affected_db)
    return Advisory("X-1", (), "", "", "", "", "", (affected,), severity, db)


def test_cvss_v3() -> None:
    rated = rate(adv((SeverityScore("CVSS_V3", V3_CRITICAL),)))
    assert (rated.severity, rated.score, rated.basis) == (Severity.CRITICAL, 9.8, "cvss")
    assert rated.vector == V3_CRITICAL


def test_v4_wins_over_v3() -> None:
    rated = rate(adv((SeverityScore("CVSS_V3", V3_CRITICAL), SeverityScore("CVSS_V4", V4_HIGH))))
    assert rated.vector == V4_HIGH
    assert rated.severity is Severity.HIGH
    assert rated.score == 8.7


def test_database_label_when_no_vector() -> None:
    assert rate(adv(db="MODERATE")).severity is Severity.MEDIUM
    assert rate(adv(affected_db="HIGH")).basis == "database"


def test_bad_vector_falls_through_to_unknown() -> None:
    rated = rate(adv((SeverityScore("CVSS_V3", "CVSS:3.1/AV:Q"),)))
    assert rated.severity is Severity.UNKNOWN
    assert rate(adv((SeverityScore("CVSS_V3", V3_MEDIUM),))).severity is Severity.MEDIUM


def test_score_bands() -> None:
    assert [from_score(s) for s in (0.0, 3.9, 4.0, 6.9, 7.0, 8.9, 9.0)] == [
        Severity.LOW,
        Severity.LOW,
        Severity.MEDIUM,
        Severity.MEDIUM,
        Severity.HIGH,
        Severity.HIGH,
        Severity.CRITICAL,
    ]
