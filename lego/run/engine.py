"""Running a pipeline end to end: ``execute`` (a new run), ``resume`` (after the runner was killed)
and ``retry`` (a new run that reuses the successful jobs of an old one).

    result = execute(pipeline, store=store, home=home, options=RunOptions(parallel=4))
"""

from __future__ import annotations

import gc
import logging
import os
import secrets as _random
import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from hucheng.store import Query, Record, Store
from lego.errors import LegoError, RunNotFoundError, RunStateError
from lego.model import Job, Pipeline
from lego.run.artifacts import copy_files, expand_globs, link_or_copy
from lego.run.cache import ContentCache, Manifest
from lego.run.context import LogView, NullView, RunContext, now_iso
from lego.run.history import Recorder, job_records, latest_run_state
from lego.run.journal import Journal, replay
from lego.run.layout import RunDir, cache_dir, lego_home, run_dir
from lego.run.masking import Masker
from lego.run.scheduler import Scheduler
from lego.run.secrets import load_secrets, undeclared_references
from lego.run.serial import load_saved_pipeline, save_pipeline
from lego.run.state import JobResult, JobStatus, RunResult, RunStatus
from lego.run.trigger import git_info

log = logging.getLogger(__name__)


@dataclass
class RunOptions:
    parallel: int = field(default_factory=lambda: os.cpu_count() or 2)
    only: Sequence[str] = ()  # --job NAME: these jobs (by base name or id) and what they need
    use_cache: bool = True
    secret_names: Sequence[str] = ()
    secrets_file: Path | None = None
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    view: LogView = field(default_factory=NullView)
    cancel: threading.Event = field(default_factory=threading.Event)
    grace: float = 5.0
    poll_interval: float = 1.0
    #: called with the run id as soon as it exists (the CLI prints it)
    on_run_id: Callable[[str], None] = lambda run_id: None


def new_run_id() -> str:
    return f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{_random.token_hex(3)}"


def select_jobs(pipeline: Pipeline, only: Sequence[str]) -> Pipeline:
    """The pipeline with only the jobs named in ``only`` (base name or expanded id) and their needs."""
    if not only:
        return pipeline
    by_base: dict[str, list[str]] = {}
    for jid, job in pipeline.jobs.items():
        by_base.setdefault(job.base, []).append(jid)
    wanted: set[str] = set()
    todo: list[str] = []
    for name in only:
        ids = [name] if name in pipeline.jobs else by_base.get(name, [])
        if not ids:
            known = ", ".join(sorted(by_base))
            raise LegoError(f"--job {name}: no such job in {pipeline.path}; jobs: {known}")
        todo.extend(ids)
    while todo:
        jid = todo.pop()
        if jid in wanted:
            continue
        wanted.add(jid)
        for base in pipeline.jobs[jid].needs:
            todo.extend(by_base.get(base, []))
    return replace(pipeline, jobs={k: v for k, v in pipeline.jobs.items() if k in wanted})


def _pid_started(pid: int) -> float:
    """When process ``pid`` started (seconds since the epoch; 0.0 if it is gone): with the pid, what
    tells the runner of a run apart from a later process that got the same pid. On Linux read from
    /proc exactly as psutil's ``create_time()`` computes it (without importing psutil, ~20 ms)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
        with open("/proc/stat", "rb") as fh:
            btime = next(line for line in fh if line.startswith(b"btime"))
        ticks = float(stat[stat.rfind(b")") + 2 :].split()[19])
        return ticks / os.sysconf("SC_CLK_TCK") + float(btime.split()[1])
    except FileNotFoundError:
        return 0.0
    except (OSError, StopIteration, IndexError, ValueError):  # no procfs: ask psutil
        import psutil

        try:
            return float(psutil.Process(pid).create_time())
        except psutil.Error:
            return 0.0


class _Run:
    """One run being executed: context, recorder and journal, and the state records around it."""

    def __init__(
        self,
        pipeline: Pipeline,
        store: Store,
        home: Path,
        options: RunOptions,
        *,
        run_id: str,
        how: str,
        parent: str | None = None,
    ) -> None:
        self.store, self.options, self.how, self.parent = store, options, how, parent
        names = sorted({*pipeline.secrets, *options.secret_names})
        secrets = load_secrets(names, options.environ, options.secrets_file)
        self.secret_names = sorted({*names, *secrets})
        for name, jobs in undeclared_references(pipeline, self.secret_names).items():
            log.warning(
                "secrets.%s (read by %s) is not a secret of this run and reads as empty; "
                "list it under secrets: or pass --secret %s",
                name,
                ", ".join(jobs),
                name,
            )
        masker = Masker(secrets)
        workspace = Path(pipeline.path).resolve().parent
        rdir = run_dir(home, run_id)
        rdir.create()
        if not rdir.pipeline_file.exists():
            save_pipeline(pipeline, rdir.pipeline_file)
        croot = cache_dir(home)
        env = {**options.environ, **secrets}
        self.ctx = RunContext(
            run_id=run_id,
            pipeline=pipeline,
            workspace=workspace,
            run_dir=rdir,
            home=home,
            base_env=env,
            secrets=secrets,
            masker=masker,
            git=git_info(workspace),
            journal=Journal(rdir.journal),
            cache=ContentCache(croot),
            manifest=Manifest(croot / "manifest.json"),
            use_cache=options.use_cache,
            view=options.view,
            grace=options.grace,
            cancel=options.cancel,
        )
        self.recorder = Recorder(store, run_id, masker, rdir)
        self.started = now_iso()
        self.t0 = time.monotonic()

    def state(self, status: RunStatus, results: Mapping[str, JobResult] | None = None) -> None:
        ctx = self.ctx
        counts: dict[str, int] = {}
        for r in (results or {}).values():
            counts[r.status.value] = counts.get(r.status.value, 0) + 1
        done = status not in (RunStatus.RUNNING, RunStatus.WAITING)
        self.recorder.run_state(
            {
                "pipeline": ctx.pipeline.path,
                "status": status.value,
                "started": self.started,
                "finished": now_iso() if done else None,
                "duration_seconds": round(time.monotonic() - self.t0, 6) if done else 0.0,
                "trigger": {
                    "sha": ctx.git.sha,
                    "branch": ctx.git.branch,
                    "author": ctx.git.author,
                    "how": self.how,
                },
                "pid": os.getpid(),
                "pid_started": _pid_started(os.getpid()),
                "host": socket.gethostname(),
                "counts": counts,
                "cache_hits": sum(1 for r in (results or {}).values() if r.cache_hit),
                "parent_run": self.parent,
                "jobs": list(ctx.pipeline.jobs),
                "secrets": self.secret_names,
            }
        )

    def trigger(self) -> dict[str, str]:
        git = self.ctx.git
        return {"sha": git.sha, "branch": git.branch, "author": git.author, "how": self.how}

    def on_result(self, job: Job, result: JobResult) -> None:
        self.recorder.job(job, result)
        if job.environment and result.status is not JobStatus.WAITING:
            service = self.ctx.pipeline.env.get("SERVICE") or self.ctx.workspace.name
            self.recorder.deployment(job, result, service=service, commit=self.ctx.git.sha)

    def approved(self) -> set[str]:
        self.recorder.flush()  # `lego show` must see the waiting job
        q = Query(kinds=("lego_approval",), labels={"run": self.ctx.run_id})
        return {str(r.data["job"]) for r in self.store.query(q)}

    def execute(self, preset: Mapping[str, JobResult]) -> RunResult:
        ctx = self.ctx
        self.options.on_run_id(ctx.run_id)
        self.state(RunStatus.RUNNING)
        for jid, result in preset.items():  # reused (retry) or finished before (resume)
            self.on_result(ctx.pipeline.jobs[jid], result)
        scheduler = Scheduler(
            ctx,
            parallel=self.options.parallel,
            on_result=self.on_result,
            approved=self.approved,
            preset=preset,
            poll_interval=self.options.poll_interval,
        )
        # the pipeline, config and imported modules live as long as the run: keep them out of the cyclic
        # collector's work (a 2,000-job run spent ~7% of its CPU re-scanning them)
        gc.freeze()
        try:
            results = scheduler.run()
        finally:
            gc.unfreeze()
            ctx.manifest.save()
            _stop_left_overs(ctx.run_id, self.options.grace)
        if ctx.cancel.is_set():
            status = RunStatus.CANCELLED
        elif any(r.status is JobStatus.FAILED for r in results.values()):
            status = RunStatus.FAILED
        elif any(r.status is JobStatus.CANCELLED for r in results.values()):
            status = RunStatus.CANCELLED  # a job taken over by a newer run's cancel-in-progress
        else:
            status = RunStatus.SUCCESS
        ctx.journal.write({"e": "run_end", "status": status.value, "time": now_iso()})
        ctx.journal.close()
        self.state(status, results)
        return RunResult(
            run_id=ctx.run_id,
            pipeline=ctx.pipeline.path,
            status=status,
            started=self.started,
            finished=now_iso(),
            duration_seconds=round(time.monotonic() - self.t0, 6),
            jobs=results,
            run_dir=str(ctx.run_dir.root),
            trigger=self.trigger(),
        )


def execute(pipeline: Pipeline, *, store: Store, home: Path, options: RunOptions) -> RunResult:
    """Run ``pipeline`` (or the jobs ``options.only`` selects) as a new run."""
    pipeline = select_jobs(pipeline, options.only)
    pipeline = replace(pipeline, path=str(Path(pipeline.path).resolve()))  # resume may run elsewhere
    run = _Run(pipeline, store, home, options, run_id=new_run_id(), how="run")
    run.ctx.journal.write({"e": "meta", "meta": {"secrets_file": str(options.secrets_file or "")}})
    return run.execute({})


def _check_not_running(store: Store, run_id: str) -> dict[str, object]:
    state = latest_run_state(store, run_id)
    if state is None:
        raise RunNotFoundError(f"no lego run {run_id!r} in the store; `hucheng lego runs` lists runs")
    pid, started = int(state.get("pid", 0) or 0), float(state.get("pid_started", 0.0) or 0.0)
    if state["status"] in ("running", "waiting") and pid and _pid_started(pid) == started and started:
        raise RunStateError(
            f"run {run_id} is still running (pid {pid} on {state.get('host', '?')}); "
            f"wait for it or `hucheng lego cancel {run_id}`"
        )
    return state


def resume(run_id: str, *, store: Store, home: Path, options: RunOptions) -> RunResult:
    """Continue a run whose runner was killed: finished jobs are kept, the others run (again)."""
    state = _check_not_running(store, run_id)
    rdir = run_dir(home, run_id)
    pipeline = load_saved_pipeline(rdir.pipeline_file)
    journal = replay(rdir.journal)
    if journal.run_ended is not None or state["status"] not in ("running", "waiting"):
        ended = journal.run_ended or state["status"]
        raise RunStateError(
            f"run {run_id} already ended ({ended}); nothing to resume. "
            f"`hucheng lego retry {run_id} --failed` re-runs its failed jobs"
        )
    from lego.run.process import kill_group

    for groups in journal.started_groups.values():
        for pgid, _ in groups:
            kill_group(pgid, options.grace)  # steps the killed runner left behind
    finished = {
        j: r for j, r in journal.finished.items() if j in pipeline.jobs and r.status is not JobStatus.WAITING
    }
    if not options.secrets_file and journal.meta.get("secrets_file"):
        options = replace(options, secrets_file=Path(str(journal.meta["secrets_file"])))
    run = _Run(pipeline, store, home, options, run_id=run_id, how="resume")
    run.ctx.journal.write({"e": "run_resumed", "time": now_iso()})
    return run.execute(finished)


def retry(
    run_id: str, *, store: Store, home: Path, options: RunOptions, failed_only: bool = True
) -> RunResult:
    """A new run of the same pipeline; with ``failed_only`` the jobs that succeeded are reused (their
    outputs and artifacts), and only the others run."""
    _check_not_running(store, run_id)
    old = run_dir(home, run_id)
    pipeline = load_saved_pipeline(old.pipeline_file)
    reused: dict[str, JobResult] = {}
    if failed_only:
        for jid, result in replay(old.journal).finished.items():
            if jid in pipeline.jobs and result.status is JobStatus.SUCCESS:
                reused[jid] = replace(result, reused_from=result.reused_from or run_id, cache_hit=False)
        if len(reused) == len(pipeline.jobs):  # as GitHub offers no "re-run failed jobs" then
            raise RunStateError(
                f"every job of run {run_id} succeeded: nothing to retry with --failed "
                f"(`hucheng lego retry {run_id}` runs them all again)"
            )
    # secret values are never stored: a retry reads them from the environment / --secrets-file again
    new_id = new_run_id()
    run = _Run(pipeline, store, home, options, run_id=new_id, how="retry", parent=run_id)
    for jid, result in reused.items():
        _reuse_artifacts(old, run.ctx.run_dir, jid, result)
        run.ctx.journal.write({"e": "job_end", "result": _json(result)})
    return run.execute(reused)


def _reuse_artifacts(old: RunDir, new: RunDir, jid: str, result: JobResult) -> None:
    src = old.job_artifacts(jid)
    if result.artifacts and src.is_dir():
        copy_files(expand_globs(["**/*"], src), src, new.job_artifacts(jid), copy=link_or_copy)


def _json(result: JobResult) -> dict[str, object]:
    from lego.run.journal import result_to_json

    return result_to_json(result)


def list_runs(store: Store, limit: int = 20) -> list[dict[str, object]]:
    """The newest ``limit`` runs, each as its newest ``lego_run`` state."""
    newest: dict[str, dict[str, object]] = {}
    for record in store.query(Query(kinds=("lego_run",), limit=limit * 8)):
        data = dict(record.data)
        rid = str(data["run_id"])
        if rid not in newest or int(str(data["seq"])) > int(str(newest[rid]["seq"])):
            newest[rid] = data
    return sorted(newest.values(), key=lambda d: str(d["started"]), reverse=True)[:limit]


def approve(store: Store, run_id: str, job: str, by: str, home: Path | None = None) -> None:
    """Record that ``job`` of ``run_id`` may start. Only a ``manual: true`` job of a run that has not
    ended can be approved (ahead of time, or while it waits); anything else is a RunStateError, so a
    typo never reports "approved" for something nothing waits on."""
    state = latest_run_state(store, run_id)
    if state is None:
        raise RunNotFoundError(f"no lego run {run_id!r} in the store; `hucheng lego runs` lists runs")
    if job not in state.get("jobs", []):
        raise RunStateError(f"run {run_id} has no job {job!r}; its jobs: {', '.join(state.get('jobs', []))}")
    if state["status"] not in ("running", "waiting"):
        raise RunStateError(
            f"run {run_id} already ended ({state['status']}); nothing waits for approval "
            f"(`hucheng lego retry {run_id}` runs it again)"
        )
    current = job_records(store, run_id).get(job)
    if current is not None and current["status"] != "waiting":
        raise RunStateError(f"job {job!r} of run {run_id} is {current['status']}, not waiting for approval")
    saved = run_dir(home, run_id).pipeline_file if home is not None else None
    if saved is not None and saved.is_file() and not load_saved_pipeline(saved).jobs[job].manual:
        raise RunStateError(f"job {job!r} of run {run_id} is not `manual: true`; it needs no approval")
    store.put(
        [
            Record(
                "lego_approval",
                datetime.now(UTC),
                {"run": run_id, "job": job},
                {"run_id": run_id, "job": job, "by": by},
                id=f"lego:{run_id}:approve:{job}",
            )
        ]
    )


def cancel(store: Store, run_id: str) -> int:
    """Ask the runner of ``run_id`` to cancel (SIGTERM); its pid. It then cancels its jobs cleanly."""
    import signal

    state = latest_run_state(store, run_id)
    if state is None:
        raise RunNotFoundError(f"no lego run {run_id!r} in the store; `hucheng lego runs` lists runs")
    pid, started = int(state.get("pid", 0) or 0), float(state.get("pid_started", 0.0) or 0.0)
    if state["status"] not in ("running", "waiting"):
        raise RunStateError(f"run {run_id} already ended ({state['status']}); nothing to cancel")
    if state.get("host") != socket.gethostname():
        raise RunStateError(f"run {run_id} runs on {state.get('host')}; cancel it there")
    if not pid or _pid_started(pid) != started:
        raise RunStateError(
            f"run {run_id}'s runner (pid {pid}) is gone; `hucheng lego resume {run_id}` continues it"
        )
    os.kill(pid, signal.SIGTERM)
    return pid


__all__ = ["RunOptions", "approve", "cancel", "execute", "lego_home", "list_runs", "resume", "retry"]


def _stop_left_overs(run_id: str, grace: float) -> None:
    """Stop the daemons the run's steps started in sessions of their own (:mod:`lego.run.leftovers`)."""
    from lego.run.leftovers import find_left_overs, stop

    left = find_left_overs(run_id)
    if not left:
        return
    for one in left:
        log.warning("stopping %s (pid %d), left running by job %s", one.command[:80], one.pid, one.job)
    stop(left, grace)
