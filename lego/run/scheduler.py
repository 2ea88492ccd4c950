"""The DAG scheduler: starts jobs whose needs are done, at most ``parallel`` at once.

It runs in the calling thread, and so do the jobs: each job is a generator (:meth:`JobRunner.run`)
that asks for its steps' processes, which one :class:`~lego.run.reactor.Reactor` starts and watches;
only blocking file work goes to a helper thread. It decides ``if`` conditions, ``manual``
approvals, matrix ``max-parallel`` and ``fail-fast``, concurrency groups, and cancellation (Ctrl-C,
``lego cancel``). Jobs are plain data (:class:`~lego.model.Job`); a future Celery executor takes the
same ones.
"""

from __future__ import annotations

import heapq
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from lego.errors import LegoError
from lego.model import Job
from lego.run import expr
from lego.run.context import RunContext, now_iso
from lego.run.job import Blocking, JobRunner, JobSteps, Spawn, cached_result
from lego.run.process import StepProcess
from lego.run.reactor import Reactor
from lego.run.state import FINISHED, JobResult, JobStatus

if TYPE_CHECKING:
    from lego.spec.exprcontext import ExprContext, NeedState

log = logging.getLogger(__name__)

_RESULT_NAMES = {
    JobStatus.SUCCESS: "success",
    JobStatus.FAILED: "failure",
    JobStatus.CANCELLED: "cancelled",
    JobStatus.SKIPPED: "skipped",
}


class Scheduler:
    def __init__(
        self,
        ctx: RunContext,
        *,
        parallel: int,
        on_result: Callable[[Job, JobResult], None],
        approved: Callable[[], set[str]] = set,
        preset: Mapping[str, JobResult] | None = None,
        poll_interval: float = 1.0,
    ) -> None:
        self.ctx = ctx
        self.jobs = dict(ctx.pipeline.jobs)
        self.parallel = max(1, parallel)
        self.on_result = on_result
        self.approved = approved
        self.poll_interval = poll_interval
        self.results: dict[str, JobResult] = dict(preset or {})
        self.status = {jid: JobStatus.PENDING for jid in self.jobs}
        for jid, result in self.results.items():
            self.status[jid] = result.status
        instances: dict[str, list[str]] = {}
        for jid, job in self.jobs.items():
            instances.setdefault(job.base, []).append(jid)
        self.instances = instances
        self.deps = {
            jid: [d for base in job.needs for d in instances.get(base, [])] for jid, job in self.jobs.items()
        }
        #: unfinished needs per job; a job is considered only once this reaches 0
        self.blocking = {
            jid: sum(1 for d in deps if self.status[d] not in FINISHED) for jid, deps in self.deps.items()
        }
        self.dependents: dict[str, list[str]] = {}
        for jid, deps in self.deps.items():
            for dep in deps:
                self.dependents.setdefault(dep, []).append(jid)
        order = {jid: n for n, jid in enumerate(self.jobs)}
        self.order = order
        #: (file order, job id) of jobs whose needs are done: a heap, so the file's order is kept
        self.ready: list[tuple[int, str]] = [
            (order[j], j) for j, n in self.blocking.items() if n == 0 and self.status[j] is JobStatus.PENDING
        ]
        heapq.heapify(self.ready)
        self.running: dict[str, threading.Event] = {}
        #: the step process each running job waits for (absent while it does other work)
        self.processes: dict[str, StepProcess] = {}
        self.reactor = Reactor()
        self._last_poll = 0.0

    # -- the loop ---------------------------------------------------------------------------------
    def run(self) -> dict[str, JobResult]:
        try:
            while True:
                try:
                    if not self._step():
                        break
                except KeyboardInterrupt:
                    log.info("interrupted: cancelling running jobs")
                    self.ctx.cancel.set()
        finally:
            self.reactor.close()
            self.ctx.view.flush()
        for jid, status in list(self.status.items()):
            if status is JobStatus.PENDING:  # its needs never finished (not selected, or a cycle)
                self._settle(jid, JobStatus.SKIPPED, "its needs did not run")
        self.ctx.view.flush()
        return {jid: self.results[jid] for jid in self.jobs if jid in self.results}

    def _step(self) -> bool:
        if self.ctx.cancel.is_set():
            for event in self.running.values():
                event.set()
        for jid, event in self.running.items():  # fail-fast, the run's cancel, a group take-over
            if event.is_set() and jid in self.processes:
                self.processes[jid].cancel()
        self._start_ready()
        if not self.running and not self.ready:
            return False
        self.ctx.journal.flush()  # step_start lines reach the kernel before we wait
        self.ctx.view.flush()  # and the lines printed this turn reach the terminal or CI log
        self.reactor.run_once(0.1 if self.running else self.poll_interval)
        return True

    def _start_ready(self) -> bool:
        """Start or settle ready jobs in file order while there is room; True if anything changed."""
        changed = False
        approvals: set[str] | None = None
        deferred: list[tuple[int, str]] = []
        while self.ready:
            if len(self.running) >= self.parallel and not self.ctx.cancel.is_set():
                break  # decide the rest when a slot frees up
            item: tuple[int, str] = heapq.heappop(self.ready)
            jid = item[1]
            if self.status[jid] not in (JobStatus.PENDING, JobStatus.WAITING):
                continue  # settled meanwhile (fail-fast)
            job = self.jobs[jid]
            if self.ctx.cancel.is_set():
                self._settle(jid, JobStatus.CANCELLED, "the run was cancelled")
                changed = True
                continue
            if self.status[jid] is JobStatus.PENDING:
                try:
                    go = self._should_run(job)
                except LegoError as exc:
                    self._settle(jid, JobStatus.FAILED, str(exc))
                    changed = True
                    continue
                if not go:
                    self._settle(jid, JobStatus.SKIPPED, self._skip_reason(job))
                    changed = True
                    continue
                if job.manual:
                    self.status[jid] = JobStatus.WAITING
                    self.on_result(job, JobResult(jid, JobStatus.WAITING, message="waiting for approval"))
                    how = f"hucheng lego approve {self.ctx.run_id} '{jid}'"
                    self.ctx.view.line(jid, f"lego: waiting for approval: {how}")
                    changed = True
            if self.status[jid] is JobStatus.WAITING:
                if approvals is None:
                    approvals = self._approvals()
                if jid not in approvals:
                    deferred.append(item)
                    continue
            if not self._room_for(job):
                deferred.append(item)
                continue
            self._start(job)
            changed = True
        for later in deferred:
            heapq.heappush(self.ready, later)
        self.ctx.journal.flush()
        return changed

    def _should_run(self, job: Job) -> bool:
        if job.if_ is None:  # success(): every need succeeded (the common case needs no expression)
            return all(self.status[d] is JobStatus.SUCCESS for d in self.deps[job.id])
        return expr.condition(job.if_, self._if_context(job), str(job.pos))

    def _approvals(self) -> set[str]:
        now = time.monotonic()
        if now - self._last_poll < self.poll_interval:
            return getattr(self, "_approved_cache", set())
        self._last_poll = now
        self._approved_cache: set[str] = self.approved()
        return self._approved_cache

    def _room_for(self, job: Job) -> bool:
        if job.max_parallel is not None:
            same = sum(1 for r in self.running if self.jobs[r].base == job.base)
            if same >= job.max_parallel:
                return False
        if job.concurrency_group is not None:
            render_group = job.concurrency_group
            if any(self.jobs[r].concurrency_group == render_group for r in self.running):
                return False
        return True

    # -- conditions -------------------------------------------------------------------------------
    def _need_states(self, job: Job) -> dict[str, NeedState]:
        from lego.spec.exprcontext import NeedState

        states: dict[str, NeedState] = {}
        for base in job.needs:
            ids = self.instances.get(base, [])
            results = [self.results[i] for i in ids if i in self.results]
            names = [_RESULT_NAMES.get(r.status, "skipped") for r in results]
            result = next((n for n in ("failure", "cancelled", "skipped") if n in names), "success")
            outputs: dict[str, str] = {}
            for r in results:
                outputs.update(r.outputs)
            states[base] = NeedState(result=result, outputs=outputs)
        return states

    def _if_context(self, job: Job) -> ExprContext:
        needs = self._need_states(job)
        results = {n.result for n in needs.values()}
        status = "success"
        if self.ctx.cancel.is_set():
            status = "cancelled"
        elif "failure" in results:
            status = "failure"
        elif results - {"success"}:
            status = "skipped"  # neither success() nor failure(): only always() runs
        env = {**self.ctx.base_env, **self.ctx.pipeline.env, **job.env}
        return expr.make_context(
            env=env,
            matrix=job.matrix,
            needs=needs,
            git=self.ctx.git,
            workspace=self.ctx.workspace,
            secrets=self.ctx.secrets,
            job_status=status,
        )

    def _skip_reason(self, job: Job) -> str:
        bad = [n for n, s in self._need_states(job).items() if s.result != "success"]
        if bad and not (job.if_ and expr.uses_status_function(job.if_)):
            return f"needs {', '.join(bad)} did not succeed"
        return f"if: {job.if_} is false" if job.if_ else "condition is false"

    # -- starting and finishing -------------------------------------------------------------------
    def _start(self, job: Job) -> None:
        upstream = {}
        for dep in self.deps[job.id]:
            r = self.results[dep]
            upstream[dep] = r.cache_key or json.dumps(dict(r.outputs), sort_keys=True)
        key, hit = cached_result(self.ctx, job, upstream)
        if hit is not None:  # the fast path: no thread, no process, no log file
            self._finished(job.id, hit, flush=False)
            return
        cancel = threading.Event()
        self.running[job.id] = cancel
        self.status[job.id] = JobStatus.RUNNING
        runner = JobRunner(self.ctx, job, self._need_states(job) if job.needs else {}, cancel, key)
        self._advance(job.id, runner.run(), None, None)

    def _advance(self, jid: str, steps: JobSteps, value: Any, error: BaseException | None) -> None:
        """Resume job ``jid`` with what it waited for, until it waits again or ends."""
        self.processes.pop(jid, None)
        try:
            request = steps.throw(error) if error is not None else steps.send(value)
        except StopIteration as stop:
            self._finished(jid, stop.value)
            return
        except KeyboardInterrupt:
            self.ctx.cancel.set()
            self._finished(jid, JobResult(jid, JobStatus.CANCELLED, message="interrupted"))
            return
        except Exception as exc:  # never lose a job: report it failed
            log.exception("job %s crashed", jid)
            self._finished(jid, JobResult(jid, JobStatus.FAILED, message=f"{type(exc).__name__}: {exc}"))
            return
        if isinstance(request, Spawn):
            self.processes[jid] = StepProcess(
                self.reactor,
                request.argv,
                cwd=request.cwd,
                env=request.env,
                on_line=request.on_line,
                masker=self.ctx.masker,
                on_done=lambda outcome: self._advance(jid, steps, outcome, None),
                timeout=request.timeout,
                grace=self.ctx.grace,
                on_start=request.on_start,
                on_lines=request.on_lines,
            )
            if self.running[jid].is_set():  # cancelled while it was being started
                self.processes[jid].cancel()
        else:
            assert isinstance(request, Blocking)
            self.reactor.in_thread(request.fn, lambda v, e: self._advance(jid, steps, v, e))

    def _settle(self, jid: str, status: JobStatus, message: str) -> None:
        now = now_iso()
        self._finished(jid, JobResult(jid, status, message=message, started=now, finished=now), ran=False)

    def _finished(self, jid: str, result: JobResult, *, ran: bool = True, flush: bool = True) -> None:
        self.running.pop(jid, None)
        if self.ctx.cancel.is_set() and result.status is JobStatus.FAILED and ran:
            result = replace(result, status=JobStatus.CANCELLED)
        self.results[jid] = result
        self.status[jid] = result.status
        if result.status in FINISHED:
            for dependent in self.dependents.get(jid, ()):
                self.blocking[dependent] -= 1
                if self.blocking[dependent] == 0 and self.status[dependent] is JobStatus.PENDING:
                    heapq.heappush(self.ready, (self.order[dependent], dependent))
        self.ctx.journal.write({"e": "job_end", "result": _result_json(result)}, flush=flush)
        job = self.jobs[jid]
        self.on_result(job, result)
        self.ctx.view.job_finished(result)
        if result.status is JobStatus.FAILED and job.matrix and job.fail_fast:
            self._fail_fast(job)

    def _fail_fast(self, failed: Job) -> None:
        for sibling in self.instances[failed.base]:
            if sibling == failed.id:
                continue
            if sibling in self.running:
                self.running[sibling].set()
            elif self.status[sibling] in (JobStatus.PENDING, JobStatus.WAITING):
                self._settle(sibling, JobStatus.CANCELLED, f"fail-fast: {failed.id} failed")


def _result_json(result: JobResult) -> dict[str, object]:
    from lego.run.journal import result_to_json

    return result_to_json(result)
