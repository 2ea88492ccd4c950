"""Run history in the store: ``lego_run`` states, ``lego_job`` results, ``test_case`` and ``deployment``.

Records are buffered and written in one transaction per flush (every ``interval`` seconds, and on
every run state change), so 2,000 jobs cost a handful of transactions; the journal, not the store, is
what resume trusts. Ids are deterministic, so writing the same result again (resume) changes nothing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from hucheng.store import Query, Record, Store
from lego.model import Job
from lego.run.layout import RunDir
from lego.run.masking import Masker
from lego.run.state import JobResult, JobStatus


class Recorder:
    def __init__(
        self, store: Store, run_id: str, masker: Masker, run_dir: RunDir, interval: float = 0.5
    ) -> None:
        self.store = store
        self.run_dir = run_dir
        self.run_id = run_id
        self.masker = masker
        self.interval = interval
        self._pending: list[Record] = []
        self._last = time.monotonic()
        self._seq = _next_seq(store, run_id)
        self._logs_before: set[str] | None = None  # the logs/ listing, taken at the first cache hit

    def _log(self, job_id: str, cache_hit: bool) -> str:
        """The job's log file, or "" when it has none. A cache hit never writes a log in this process,
        so its log can only be one an earlier runner left (resume): one listing answers for all hits
        instead of a stat each (2,000 on a no-op re-run)."""
        if not cache_hit:
            log = self.run_dir.log_path(job_id)
            return log if os.path.exists(log) else ""
        if self._logs_before is None:
            try:
                self._logs_before = set(os.listdir(self.run_dir.root / "logs"))
            except OSError:
                self._logs_before = set()
        if f"{self.run_dir.slug(job_id)}.log" in self._logs_before:
            return self.run_dir.log_path(job_id)
        return ""

    def _now(self) -> datetime:
        return datetime.now(UTC)

    def run_state(self, data: Mapping[str, Any]) -> None:
        self._seq += 1
        self._pending.append(
            Record(
                kind="lego_run",
                time=self._now(),
                labels={"run": self.run_id},
                data={**data, "run_id": self.run_id, "seq": self._seq},
                id=f"lego:{self.run_id}:run:{self._seq}",
            )
        )
        self.flush()

    def job(self, job: Job, result: JobResult) -> None:
        mask = self.masker.mask
        suffix = ":waiting" if result.status is JobStatus.WAITING else ""
        data = {
            "run_id": self.run_id,
            "job": job.id,
            "base": job.base,
            "matrix": dict(job.matrix),
            "status": result.status.value,
            "outcome": result.outcome,
            "started": result.started,
            "finished": result.finished,
            "duration_seconds": result.duration_seconds,
            "attempts": result.attempts,
            "exit_code": result.exit_code,
            "cache_hit": result.cache_hit,
            "cache_key": result.cache_key,
            "reused_from": result.reused_from,
            "outputs": {k: mask(v) for k, v in result.outputs.items()},
            "artifacts": list(result.artifacts),
            "log": self._log(job.id, result.cache_hit),
            "message": mask(result.message),
            "steps": [
                {
                    "id": s.id,
                    "name": mask(s.name),
                    "status": s.status.value,
                    "exit_code": s.exit_code,
                    "duration_seconds": s.duration_seconds,
                    "continued_on_error": s.continued_on_error,
                }
                for s in result.steps
            ],
        }
        labels = {"run": self.run_id, "job": job.id}
        self._pending.append(
            Record("lego_job", self._now(), labels, data, id=f"lego:{self.run_id}:job:{job.id}{suffix}")
        )
        for n, case in enumerate(result.tests):
            self._pending.append(
                Record(
                    "test_case",
                    self._now(),
                    {"run": self.run_id, "job": job.id, "suite": case.suite},
                    {
                        "name": case.name,
                        "classname": case.classname,
                        "suite": case.suite,
                        "status": case.status,
                        "duration_seconds": case.duration_seconds,
                        "message": mask(case.message),
                        "report": case.report,
                        "run_id": self.run_id,
                        "job": job.id,
                    },
                    id=f"lego:{self.run_id}:test:{job.id}:{n}",
                )
            )
        if time.monotonic() - self._last >= self.interval:
            self.flush()

    def deployment(self, job: Job, result: JobResult, *, service: str, commit: str) -> None:
        status = result.status.value if result.status is not JobStatus.SKIPPED else "cancelled"
        if result.status is JobStatus.SUCCESS and result.outcome == "failure":
            status = "failed"
        assert job.environment is not None
        version = result.outputs.get("version", "") or commit[:12]
        self._pending.append(
            Record(
                "deployment",
                self._now(),
                {"service": service, "environment": job.environment, "run": self.run_id},
                {
                    "service": service,
                    "environment": job.environment,
                    "version": self.masker.mask(version),
                    "commit": commit,
                    "status": status,
                    "run_id": self.run_id,
                    "job": job.id,
                },
                id=f"lego:{self.run_id}:deploy:{job.id}",
            )
        )

    def flush(self) -> None:
        if self._pending:
            self.store.put(self._pending)
            self._pending = []
        self._last = time.monotonic()


def _next_seq(store: Store, run_id: str) -> int:
    newest = latest_run_state(store, run_id)
    return int(newest["seq"]) if newest else 0


def latest_run_state(store: Store, run_id: str) -> dict[str, Any] | None:
    records = list(store.query(Query(kinds=("lego_run",), labels={"run": run_id})))
    if not records:
        return None
    return dict(max(records, key=lambda r: int(r.data.get("seq", 0))).data)


def job_records(store: Store, run_id: str) -> dict[str, dict[str, Any]]:
    """job id -> its newest ``lego_job`` data (the final one once it ended)."""
    out: dict[str, dict[str, Any]] = {}
    for record in store.query(Query(kinds=("lego_job",), labels={"run": run_id}, newest_first=False)):
        current = out.get(record.data["job"])
        if current is None or current["status"] == "waiting":
            out[record.data["job"]] = dict(record.data)
    return out
