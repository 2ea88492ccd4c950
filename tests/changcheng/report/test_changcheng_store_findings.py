"""record_findings: open, fixed, accepted and reopened records with first-seen and fixed dates."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from report_samples import sample_report

from changcheng.findings import Severity
from changcheng.store import current_state, record_findings, scan_target
from hucheng.store import Query, Store, open_store

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'h.db'}") as s:
        yield s


def test_first_scan_opens_every_finding_and_accepts_suppressed(store: Store) -> None:
    report = sample_report()
    summary = record_findings(store, report, T0)
    assert len(summary.opened) == 5 and summary.accepted == 1 and summary.fixed == 0
    assert [f.rule_id for f in summary.new_at_least(Severity.CRITICAL)] == ["aws-access-key-id"]
    state = current_state(store, "secrets", scan_target(report))
    assert {d["status"] for d in state.values()} == {"open", "accepted"}


def test_recording_the_same_report_again_changes_nothing(store: Store) -> None:
    record_findings(store, sample_report(), T0)
    again = record_findings(store, sample_report(), T0 + timedelta(hours=1))
    assert again.opened == () and again.accepted == 0 and again.fixed == 0
    record_findings(store, sample_report(), T0)  # a retry of the first run: same ids, nothing new
    assert store.count(Query(kinds=("finding",))) == 6


def test_a_finding_that_disappears_is_fixed_with_both_dates(store: Store) -> None:
    report = sample_report()
    record_findings(store, report, T0)
    fewer = replace(report, findings=report.findings[1:])
    summary = record_findings(store, fewer, T0 + timedelta(days=3))
    assert summary.fixed == 1
    [fixed] = [r for r in store.query(Query(kinds=("finding",))) if r.data["status"] == "fixed"]
    assert datetime.fromisoformat(fixed.data["first_seen"]) == T0
    assert datetime.fromisoformat(fixed.data["fixed_at"]) == T0 + timedelta(days=3)
    back = record_findings(store, report, T0 + timedelta(days=5))
    assert [f.fingerprint for f in back.opened] == [report.findings[0].fingerprint]


def test_targets_are_kept_apart(store: Store) -> None:
    record_findings(store, sample_report(), T0)
    other = replace(sample_report(), root="/elsewhere")
    assert len(record_findings(store, other, T0).opened) == 5
