"""Sample storage: each check execution is one ``tianyan_samples`` record; reading a time window back
gives the series the local PromQL evaluator works on; retention prunes old records."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from hucheng.store import Query, Record, Store
from tianyan.checks.base import CheckResult
from tianyan.model import Sample
from tianyan.rules.series import SeriesSet

SAMPLES_KIND = "tianyan_samples"


def _record_id(source: str, name: str, time: datetime) -> str:
    return f"{source}:{name}:{time.isoformat()}"


def result_record(result: CheckResult) -> Record:
    return Record(
        kind=SAMPLES_KIND,
        time=result.time,
        labels={"check": result.name, "source": "check"},
        data={
            "source": "check",
            "kind": result.kind,
            "success": result.success,
            "duration_seconds": max(0.0, result.duration_seconds),
            "error": result.error,
            "samples": [{"name": s.name, "labels": dict(s.labels), "value": s.value} for s in result.samples],
        },
        id=_record_id("check", result.name, result.time),
    )


def save_results(store: Store, results: Iterable[CheckResult]) -> int:
    return store.put([result_record(r) for r in results]).written


def save_recorded(store: Store, samples: Sequence[Sample], time: datetime) -> None:
    """Series written by recording rules at ``time``, kept like check samples."""
    if not samples:
        return
    record = Record(
        kind=SAMPLES_KIND,
        time=time,
        labels={"check": "rules", "source": "rule"},
        data={
            "source": "rule",
            "samples": [{"name": s.name, "labels": dict(s.labels), "value": s.value} for s in samples],
        },
        id=_record_id("rule", "rules", time),
    )
    store.put([record])


def load_series(store: Store, since: datetime, until: datetime) -> SeriesSet:
    """Every stored sample with ``since <= time <= until`` as a :class:`SeriesSet`."""
    series = SeriesSet()
    q = Query(kinds=(SAMPLES_KIND,), since=since, until=until + timedelta(microseconds=1), newest_first=False)
    for record in store.query(q):
        t = record.time.timestamp()
        for s in record.data.get("samples", []):
            series.add_sample(s["name"], s["labels"], t, float(s["value"]))
    return series


def latest_results(store: Store, names: Iterable[str] | None = None) -> dict[str, Record]:
    """The newest stored execution of each check (by name)."""
    out: dict[str, Record] = {}
    if names is None:
        for record in store.query(Query(kinds=(SAMPLES_KIND,), labels={"source": "check"})):
            out.setdefault(record.labels.get("check", ""), record)
        return out
    for name in names:
        q = Query(kinds=(SAMPLES_KIND,), labels={"source": "check", "check": name}, limit=1)
        newest = next(iter(store.query(q)), None)
        if newest is not None:
            out[name] = newest
    return out


def prune(store: Store, now: datetime, retention: timedelta) -> int:
    return store.prune(now - retention, kinds=(SAMPLES_KIND, "tianyan_rule_state"))
