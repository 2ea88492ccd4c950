"""Findings to the record store, with first-seen and fixed dates (the ``finding`` kind).

    summary = record_findings(store, report, now=datetime.now(UTC))

For each finding of ``report``: an ``open`` record when it is new (or back after a fix), an
``accepted`` record when it is suppressed and was not already; for each finding open in the store
for the same scan and target that the report no longer has: a ``fixed`` record. Record ids are
deterministic, so recording the same report twice at the same ``now`` writes nothing the second time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from changcheng.findings import Finding, ScanReport, Severity
from hucheng.store import Query, Record, Store

KIND = "finding"


@dataclass(frozen=True)
class RecordSummary:
    opened: tuple[Finding, ...]
    fixed: int
    accepted: int
    still_open: int

    def new_at_least(self, severity: Severity) -> tuple[Finding, ...]:
        """Newly opened findings at or above ``severity`` (e.g. to raise an alert for new criticals)."""
        return tuple(f for f in self.opened if f.severity.rank >= severity.rank)


def scan_target(report: ScanReport, mode: str = "") -> str:
    """What a report's findings belong to: the resolved scan root, plus a mode (``history``) when one
    kind of scan of the same root must not mark another's findings fixed."""
    target = str(Path(report.root).resolve())
    return f"{target} ({mode})" if mode else target


def _record_id(scan: str, target: str, fingerprint: str, status: str, when: datetime) -> str:
    key = f"{scan}\0{target}\0{fingerprint}\0{status}\0{when.isoformat()}"
    return "finding-" + hashlib.sha256(key.encode()).hexdigest()[:32]


def current_state(store: Store, scan: str, target: str) -> dict[str, Mapping[str, Any]]:
    """fingerprint -> data of its newest record, for one scan of one target."""
    state: dict[str, Mapping[str, Any]] = {}
    query = Query(kinds=(KIND,), labels={"scan": scan, "target": target}, newest_first=True)
    for record in store.query(query):
        state.setdefault(str(record.data["fingerprint"]), record.data)
    return state


def _data(
    report: ScanReport, target: str, finding: Finding, status: str, first_seen: datetime, **extra: Any
) -> dict[str, Any]:
    loc = finding.location
    return {
        "scan": report.scan,
        "target": target,
        "fingerprint": finding.fingerprint,
        "status": status,
        "rule_id": finding.rule_id,
        "title": finding.title,
        "severity": finding.severity.value,
        "path": loc.path,
        "line": loc.line,
        "commit": loc.commit,
        "first_seen": first_seen.isoformat(),
        **extra,
    }


def record_findings(
    store: Store,
    report: ScanReport,
    now: datetime | None = None,
    labels: Mapping[str, str] | None = None,
    *,
    mode: str = "",
) -> RecordSummary:
    """Append the state changes ``report`` implies; return what changed. ``mode`` keeps scans of one
    root apart (``"history"`` for ``secrets --history``, whose fingerprints carry commits)."""
    now = now or datetime.now(UTC)
    target = scan_target(report, mode)
    state = current_state(store, report.scan, target)
    base_labels = {**(labels or {}), "scan": report.scan, "target": target}
    records: list[Record] = []

    def add(finding: Finding, status: str, data: dict[str, Any]) -> None:
        records.append(
            Record(
                kind=KIND,
                time=now,
                labels={**base_labels, "severity": finding.severity.value},
                data=data,
                id=_record_id(report.scan, target, finding.fingerprint, status, now),
            )
        )

    opened, seen = [], set()
    for finding in report.findings:
        seen.add(finding.fingerprint)
        previous = state.get(finding.fingerprint)
        if previous is None or previous["status"] != "open":
            opened.append(finding)
            add(finding, "open", _data(report, target, finding, "open", now))
    accepted = 0
    for finding, reason in report.suppressed:
        seen.add(finding.fingerprint)
        previous = state.get(finding.fingerprint)
        if previous is None or previous["status"] != "accepted":
            accepted += 1
            first = _first_seen(previous, now)
            add(finding, "accepted", _data(report, target, finding, "accepted", first, reason=reason))
    fixed = 0
    for fingerprint, data in state.items():
        if fingerprint in seen or data["status"] != "open":
            continue
        fixed += 1
        gone = _finding_from(data)
        add(gone, "fixed", {**dict(data), "status": "fixed", "fixed_at": now.isoformat()})
    if records:
        store.put(records)
    return RecordSummary(tuple(opened), fixed, accepted, len(report.findings))


def _first_seen(previous: Mapping[str, Any] | None, now: datetime) -> datetime:
    if previous is None or previous["status"] == "fixed":
        return now
    value = previous["first_seen"]
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _finding_from(data: Mapping[str, Any]) -> Finding:
    from changcheng.findings import FindingKind, Location

    return Finding(
        kind=FindingKind.SECRET if data["scan"] == "secrets" else FindingKind.VULNERABILITY,
        rule_id=str(data["rule_id"]),
        title=str(data["title"]),
        severity=Severity(str(data["severity"])),
        location=Location(str(data["path"]), data.get("line"), commit=data.get("commit")),
        fingerprint=str(data["fingerprint"]),
    )
