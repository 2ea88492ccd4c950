"""The ``log`` of a ``lego_job`` record: a listing answers for cache hits, a stat for jobs that ran."""

from __future__ import annotations

from pathlib import Path

from hucheng.store import Query, Store
from lego.model import Job, SourcePos
from lego.run.history import Recorder
from lego.run.layout import RunDir
from lego.run.masking import Masker
from lego.run.state import JobResult, JobStatus


def job(name: str) -> Job:
    return Job(id=name, base=name.split(" ")[0], steps=(), pos=SourcePos(".lego.yml", 1))


def test_hits_and_runs_record_the_logs_that_exist(tmp_path: Path, store: Store) -> None:
    rdir = RunDir(tmp_path / "run")
    (rdir.root / "logs").mkdir(parents=True)
    rdir.log_file("left (py=3.11)").write_text("from the killed runner\n")  # resume: an earlier log
    recorder = Recorder(store, "r1", Masker(), rdir)
    hit = JobResult("x", JobStatus.SUCCESS, cache_hit=True)
    recorder.job(job("left (py=3.11)"), hit)
    recorder.job(job("clean"), hit)
    rdir.log_file("ran").write_text("a job that ran in this process\n")
    recorder.job(job("ran"), JobResult("ran", JobStatus.SUCCESS))
    recorder.job(job("no-log"), JobResult("no-log", JobStatus.SKIPPED))
    recorder.flush()
    logs = {str(r.data["job"]): r.data["log"] for r in store.query(Query(kinds=("lego_job",)))}
    assert logs == {
        "left (py=3.11)": str(rdir.log_file("left (py=3.11)")),
        "clean": "",
        "ran": str(rdir.log_file("ran")),
        "no-log": "",
    }


def test_a_run_dir_without_logs_records_none(tmp_path: Path, store: Store) -> None:
    rdir = RunDir(tmp_path / "fresh")
    recorder = Recorder(store, "r2", Masker(), rdir)
    recorder.job(job("a"), JobResult("a", JobStatus.SUCCESS, cache_hit=True))
    recorder.flush()
    assert [r.data["log"] for r in store.query(Query(kinds=("lego_job",)))] == [""]
