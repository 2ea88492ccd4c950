from __future__ import annotations

import pytest
from prometheus_client import REGISTRY, Counter, Gauge

from hucheng.errors import MetricsError
from hucheng.metrics import RunMetrics, new_registry, record_run


def _samples(registry, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    return {
        tuple(sorted(s.labels.items())): s.value
        for family in registry.collect()
        for s in family.samples
        if s.name == name
    }


def test_new_registry_is_fresh_and_not_the_global_one() -> None:
    first, second = new_registry(), new_registry()
    assert first is not REGISTRY
    assert first is not second
    assert list(first.collect()) == []


def test_registries_do_not_share_metrics() -> None:
    first, second = new_registry(), new_registry()
    Counter("hucheng_test_things", "things", registry=first).inc(3)
    # the same name in another registry is not a duplicate
    Counter("hucheng_test_things", "things", registry=second).inc(5)
    assert _samples(first, "hucheng_test_things_total") == {(): 3.0}
    assert _samples(second, "hucheng_test_things_total") == {(): 5.0}
    assert first.get_sample_value("hucheng_test_things_total") == 3.0


def test_record_run_names_labels_and_values() -> None:
    registry = new_registry()
    record_run(registry, tool="tianyan", status="ok", duration_seconds=2.5, started=1_700_000_000.0)
    assert _samples(registry, "hucheng_run_duration_seconds") == {(("tool", "tianyan"),): 2.5}
    assert _samples(registry, "hucheng_run_success") == {(("tool", "tianyan"),): 1.0}
    assert _samples(registry, "hucheng_run_started_timestamp_seconds") == {
        (("tool", "tianyan"),): 1_700_000_000.0
    }
    assert _samples(registry, "hucheng_run_last_timestamp_seconds") == {
        (("tool", "tianyan"),): 1_700_000_002.5
    }
    types = {family.name: family.type for family in registry.collect()}
    assert types == {
        "hucheng_run_duration_seconds": "gauge",
        "hucheng_run_success": "gauge",
        "hucheng_run_last_timestamp_seconds": "gauge",
        "hucheng_run_started_timestamp_seconds": "gauge",
    }


@pytest.mark.parametrize(
    ("status", "expected"), [("ok", 1.0), ("Success", 1.0), ("failed", 0.0), ("error", 0.0)]
)
def test_record_run_success_gauge(status: str, expected: float) -> None:
    registry = new_registry()
    record_run(registry, tool="lego", status=status, duration_seconds=1, started=0)
    assert registry.get_sample_value("hucheng_run_success", {"tool": "lego"}) == expected


def test_run_metrics_records_several_tools_in_one_registry() -> None:
    registry = new_registry()
    metrics = RunMetrics(registry)
    metrics.record(tool="lego", status="ok", duration_seconds=1, started=10)
    metrics.record(tool="huabao", status="failed", duration_seconds=4, started=10)
    assert _samples(registry, "hucheng_run_success") == {(("tool", "lego"),): 1.0, (("tool", "huabao"),): 0.0}


def test_record_run_twice_on_one_registry_says_what_to_do() -> None:
    registry = new_registry()
    record_run(registry, tool="lego", status="ok", duration_seconds=1, started=0)
    with pytest.raises(MetricsError, match="RunMetrics"):
        record_run(registry, tool="mojing", status="ok", duration_seconds=1, started=0)


def test_record_run_rejects_bad_input() -> None:
    registry = new_registry()
    metrics = RunMetrics(registry)
    with pytest.raises(MetricsError, match="tool"):
        metrics.record(tool="", status="ok", duration_seconds=1, started=0)
    with pytest.raises(MetricsError, match="negative"):
        metrics.record(tool="lego", status="ok", duration_seconds=-1, started=0)


def test_global_registry_untouched() -> None:
    before = {family.name for family in REGISTRY.collect()}
    registry = new_registry()
    record_run(registry, tool="lego", status="ok", duration_seconds=1, started=0)
    Gauge("hucheng_test_gauge", "g", registry=registry).set(1)
    assert {family.name for family in REGISTRY.collect()} == before
