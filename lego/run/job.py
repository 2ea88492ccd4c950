"""Running one job: cache check, attempts (``retry``), steps as processes, outputs, artifacts, reports.

:meth:`JobRunner.run` is a generator driven by the scheduler in its one thread: it yields a
:class:`Spawn` for each step (the scheduler starts it and sends back its
:class:`~lego.run.process.ProcessOutcome`) and a :class:`Blocking` for work that may wait or copy for
long (a concurrency group, artifacts, cache directories; run in a helper thread, its value sent back),
and returns the :class:`JobResult`. It never raises for anything a step does.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from hucheng.exitstatus import signal_name
from lego.errors import LegoError
from lego.model import Job, Step
from lego.run import expr
from lego.run.artifacts import collect_artifacts
from lego.run.cache import CacheEntry, compute_key, job_workdir
from lego.run.concurrency import GroupCancelled, hold_group
from lego.run.context import RunContext, now_iso
from lego.run.dircache import restore_dirs, save_dirs
from lego.run.layout import concurrency_dir
from lego.run.process import ProcessOutcome, build_argv
from lego.run.protocol import parse_protocol_file
from lego.run.reports import parse_reports
from lego.run.reports import summary as junit_summary
from lego.run.state import JobResult, JobStatus, StepResult, StepStatus

if TYPE_CHECKING:
    from lego.spec.exprcontext import ExprContext, NeedState, StepState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Spawn:
    """Start this step's process; the outcome is sent back."""

    argv: Sequence[str]
    cwd: Path
    env: Mapping[str, str]
    on_line: Callable[[str], None]
    timeout: float | None
    on_start: Callable[[int], None]
    on_lines: Callable[[list[str]], None] | None = None  # the lines of one read at once


@dataclass(frozen=True)
class Blocking:
    """Call ``fn`` in a helper thread; its value is sent back (its exception thrown in)."""

    fn: Callable[[], Any]


Request = Spawn | Blocking
JobSteps = Generator[Request, Any, JobResult]


@dataclass
class _Attempt:
    status: str = "success"  # success | failure | cancelled, as ExprContext.job_status
    steps: list[StepResult] = field(default_factory=list)
    step_states: dict[str, StepState] = field(default_factory=dict)
    exit_code: int | None = None
    timed_out: bool = False
    message: str = ""


class JobRunner:
    """Runs ``job`` once it may start; ``cancel`` (this job's) is set by fail-fast or the run."""

    def __init__(
        self,
        ctx: RunContext,
        job: Job,
        needs: Mapping[str, NeedState],
        cancel: threading.Event,
        key: str | None = None,
    ) -> None:
        self.ctx = ctx
        self.job = job
        self.needs = needs
        self.cancel = cancel
        self.workdir = job_workdir(job, ctx.workspace)
        self.key = key
        self.attempt = 1
        self._log_path = ctx.run_dir.log_path(job.id)  # logs/ exists: RunDir.create
        self._slug = ctx.run_dir.slug(job.id)
        self._work = str(ctx.run_dir.root / "work")
        self._log: IO[str] | None = None
        self._held: list[str] = []

    # -- output -----------------------------------------------------------------------------------
    def _store(self, text: str, *, routine: bool = False) -> None:
        """Keep a line in the job's log file. The file is created by the first line that is not
        routine (step output, a warning, a failure); routine lines (``step NAME``, ``success``) wait
        in memory until then, so a job that printed nothing and succeeded creates no file: on ext4
        creating one costs ~0.2 ms, the dearest thing a trivial job would do."""
        line = f"{now_iso()}\t{text}\n"
        if self._log is None:
            if routine:
                self._held.append(line)
                return
            self._log = open(self._log_path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115
            self._log.write("".join(self._held))
            self._held = []
        self._log.write(line)

    def emit(self, text: str) -> None:
        self.emit_lines([text])

    def emit_lines(self, texts: list[str]) -> None:
        """Lines a step printed in one read: one time stamp, one write to the log and one call to the
        view for all of them (a step printing a million lines took 7 s when each was handled alone)."""
        first = 0
        if self._log is None:
            self._store(texts[0])  # creates the file, with the routine lines held before it
            first = 1
        if len(texts) > first and self._log is not None:
            stamp = now_iso()
            self._log.write("".join([f"{stamp}\t{text}\n" for text in texts[first:]]))
        self.ctx.view.lines(self.job.id, texts)

    def note(self, text: str, *, show: bool = True, routine: bool = False) -> None:
        """A line from lego itself (not from a step), masked like everything else."""
        line = f"lego: {self.ctx.masker.mask(text)}"
        self._store(line, routine=routine)
        if show:
            self.ctx.view.line(self.job.id, line)

    # -- the job ----------------------------------------------------------------------------------
    def run(self) -> JobSteps:
        started, t0 = now_iso(), time.monotonic()
        self.ctx.view.job_started(self.job.id)
        try:
            try:
                result = yield from self._run_in_group()
            except GroupCancelled as exc:
                self.note(str(exc))
                result = JobResult(self.job.id, JobStatus.CANCELLED, message=str(exc))
            except LegoError as exc:  # an expression that cannot be evaluated, a protocol error
                self.note(str(exc))
                result = JobResult(self.job.id, JobStatus.FAILED, message=str(exc))
            except Exception as exc:  # a bug must fail this job, not hang the run
                log.exception("job %s crashed", self.job.id)
                msg = f"unexpected error: {type(exc).__name__}: {exc}"
                self.note(msg)
                result = JobResult(self.job.id, JobStatus.FAILED, message=msg)
            result = replace(
                result,
                started=started,
                finished=now_iso(),
                duration_seconds=round(time.monotonic() - t0, 6),
            )
            self.note(
                result.status.value + (f": {result.message}" if result.message else ""),
                show=False,
                routine=result.status is JobStatus.SUCCESS,
            )
        finally:
            if self._log is not None:
                self._log.close()
                self._log = None
        return result

    def _expr_context(self, env: Mapping[str, str], status: str = "success") -> ExprContext:
        return expr.make_context(
            env=env,
            matrix=self.job.matrix,
            needs=self.needs,
            git=self.ctx.git,
            workspace=self.ctx.workspace,
            secrets=self.ctx.secrets,
            job_status=status,
        )

    def _run_in_group(self) -> JobSteps:
        job, ctx = self.job, self.ctx
        if job.concurrency_group is None:
            return (yield from self._run())
        group = expr.render(job.concurrency_group, self._expr_context(ctx.base_env), str(job.pos))
        holding = hold_group(
            concurrency_dir(ctx.home),
            group,
            token=f"run {ctx.run_id} job {job.id}",
            cancel_in_progress=job.cancel_in_progress,
            cancel=self.cancel,
            note=self.note,
        )
        yield Blocking(holding.__enter__)  # waits (in a helper thread) while another job holds it
        try:
            return (yield from self._run())
        finally:
            holding.__exit__(None, None, None)

    def _run(self) -> JobSteps:
        job, ctx = self.job, self.ctx
        key = self.key
        base_env = self._job_env()
        cache_keys: list[tuple[int, str]] = []
        if job.cache:
            ectx = self._expr_context(base_env)
            cache_keys = yield Blocking(lambda: restore_dirs(job, ctx, ectx, self.note))
        attempts, attempt = 0, _Attempt()
        while True:
            attempts += 1
            self.attempt = attempts
            attempt = yield from self._attempt(base_env)
            if attempt.status != "failure" or attempts > job.retry.max or not self._retryable(attempt):
                break
            self.note(f"attempt {attempts} failed; retrying ({attempts + 1} of {job.retry.max + 1})")
        if job.artifacts or job.junit or job.cache:
            # copies and parses files (artifacts, cache directories, reports): off the loop
            finished: JobResult = yield Blocking(lambda: self._finish(attempt, attempts, key, cache_keys))
            return finished
        return self._finish(attempt, attempts, key, cache_keys)

    def _retryable(self, attempt: _Attempt) -> bool:
        when = self.job.retry.when
        if not when:
            return True
        if attempt.timed_out:
            return "timeout" in when
        return attempt.exit_code is not None and str(attempt.exit_code) in when

    def _job_env(self) -> dict[str, str]:
        ctx, job = self.ctx, self.job
        env = dict(ctx.base_env)
        env.update(
            LEGO_RUN_ID=ctx.run_id,
            LEGO_JOB=job.id,
            LEGO_WORKSPACE=str(ctx.workspace),
            LEGO_ARTIFACTS=str(ctx.run_dir.artifacts),
            CI=env.get("CI", "true"),
        )
        for layer in (ctx.pipeline.env, job.env):
            if any("${{" in value for value in layer.values()):
                env.update(expr.render_env(layer, self._expr_context(env), str(job.pos)))
            else:
                env.update(layer)
        return env

    def _attempt(self, base_env: Mapping[str, str]) -> Generator[Request, Any, _Attempt]:
        job = self.job
        state = _Attempt()
        env = dict(base_env)
        deadline = None if job.timeout_seconds is None else time.monotonic() + job.timeout_seconds
        for index, step in enumerate(job.steps):
            if self.cancel.is_set() or self.ctx.cancel.is_set():
                state.status = "cancelled"
            ectx = _LazyContext(self, env, state)
            if step.if_ is None:  # success(): the common case needs no expression
                go = state.status == "success"
            else:
                go = state.status != "cancelled" and expr.condition(step.if_, ectx(), str(step.pos))
            if state.status == "cancelled" or not go:
                status = StepStatus.CANCELLED if state.status == "cancelled" else StepStatus.SKIPPED
                state.steps.append(StepResult(step.id, step.name, status))
                self._step_state(state, step.id, status.value, {})
                continue
            yield from self._run_step(step, index, env, ectx, state, deadline)
            if step.brick_outputs and step.group and state.step_states[step.id].outcome == "success":
                self._check_brick_outputs(step, state)
        return state

    def _check_brick_outputs(self, step: Step, state: _Attempt) -> None:
        """A brick's declared outputs are its interface: say so when its steps left one unset (later
        ``steps.<group>.outputs.X`` would read an empty string)."""
        prefix = f"{step.group}."
        written: set[str] = set()
        for sid, st in state.step_states.items():
            if sid.startswith(prefix):
                written.update(st.outputs)
        missing = [name for name in step.brick_outputs if name not in written]
        if missing:
            names = ", ".join(missing)
            self.note(
                f"warning: brick {step.brick} (step {step.group}) declares output(s) {names} that its "
                f"steps did not write to $LEGO_OUTPUT; steps.{step.group}.outputs.{missing[0]} is empty"
            )

    def _step_state(self, state: _Attempt, step_id: str, outcome: str, outputs: Mapping[str, str]) -> None:
        from lego.spec.exprcontext import StepState

        state.step_states[step_id] = StepState(outcome=_OUTCOMES.get(outcome, outcome), outputs=outputs)

    def _run_step(
        self,
        step: Step,
        index: int,
        env: dict[str, str],
        ectx: _LazyContext,
        state: _Attempt,
        deadline: float | None,
    ) -> Generator[Request, Any, None]:
        ctx = self.ctx
        where = str(step.pos)
        step_env = {**env, **_render_env(step.env, ectx, where)}
        # one name per step and attempt: nothing to create or clear up front (the step appends)
        stem = f"{self._work}/{self._slug}.{index + 1}.{self.attempt}"
        out_file, env_file = f"{stem}.output", f"{stem}.env"
        step_env.update(LEGO_OUTPUT=out_file, LEGO_ENV=env_file)
        script = _render(step.run, ectx, where)
        try:
            name = _render(step.name, ectx, where)
        except LegoError:
            name = step.name
        timeout, limit = step.timeout_seconds, f"its timeout of {step.timeout_seconds or 0:g}s"
        if deadline is not None:
            left = max(deadline - time.monotonic(), 0.0)
            if timeout is None or left < timeout:
                timeout, limit = left, f"the job's timeout of {self.job.timeout_seconds:g}s"
        cwd = self.workdir / step.working_directory if step.working_directory else self.workdir
        self.note(f"step {name}", routine=True)
        t0 = time.monotonic()
        outcome: ProcessOutcome = yield Spawn(
            build_argv(step.shell, script, step_env),
            cwd,
            step_env,
            self.emit,
            timeout,
            # flushed by the scheduler before it waits: resume finds the group to kill
            lambda pid: ctx.journal.write({"e": "step_start", "job": self.job.id, "pid": pid}, flush=False),
            self.emit_lines,
        )
        outputs: dict[str, str] = {}
        if outcome.exit_code == 0:
            outputs = parse_protocol_file(out_file)
            env.update(parse_protocol_file(env_file))
        if outcome.error:
            self.note(outcome.error)
        if outcome.cancelled:
            status, state.status = StepStatus.CANCELLED, "cancelled"
        elif outcome.timed_out:
            status = StepStatus.TIMED_OUT
            self.note(f"step {name} timed out ({limit}); its process group was killed")
        else:
            status = StepStatus.SUCCESS if outcome.exit_code == 0 else StepStatus.FAILED
        failed = status in (StepStatus.FAILED, StepStatus.TIMED_OUT)
        if failed and not step.continue_on_error:
            state.status = "failure"
            state.exit_code, state.timed_out = outcome.exit_code, outcome.timed_out
            state.message = f"step {name!r} ({step.where()}) {_how_it_ended(outcome)}"
        elif failed:  # (a start error was noted above)
            how = "could not start" if outcome.error else _how_it_ended(outcome)
            self.note(f"step {name} {how}; continuing (continue-on-error)")
        state.steps.append(
            StepResult(
                step.id,
                name,
                status,
                exit_code=outcome.exit_code,
                duration_seconds=round(time.monotonic() - t0, 6),
                continued_on_error=failed and step.continue_on_error,
            )
        )
        self._step_state(state, step.id, status.value, outputs)

    def _finish(
        self, attempt: _Attempt, attempts: int, key: str | None, cache_keys: list[tuple[int, str]]
    ) -> JobResult:
        job, ctx = self.job, self.ctx
        outputs: dict[str, str] = {}
        for st in attempt.step_states.values():
            outputs.update(st.outputs)
        if job.outputs:
            ectx = replace(self._expr_context(ctx.base_env, attempt.status), steps=dict(attempt.step_states))
            outputs = {name: expr.render(text, ectx, str(job.pos)) for name, text in job.outputs.items()}
        # as GitHub does: an output carrying a secret is masked before anything sees it (later jobs,
        # the journal, the cache entry, records, --format json)
        outputs = {name: ctx.masker.mask(value) for name, value in outputs.items()}
        tests, problems = parse_reports(job.junit, self.workdir) if job.junit else ([], [])
        for problem in problems:
            self.note(problem)
        if tests:
            self.note(junit_summary(tests))
        status = {"success": JobStatus.SUCCESS, "cancelled": JobStatus.CANCELLED}.get(
            attempt.status, JobStatus.FAILED
        )
        message, artifacts = attempt.message, tuple[str, ...]()
        if status is JobStatus.SUCCESS and job.artifacts:
            unmatched: list[str] = []
            try:
                artifacts = tuple(
                    collect_artifacts(
                        job.artifacts, self.workdir, ctx.run_dir.job_artifacts(job.id), unmatched=unmatched
                    )
                )
            except LegoError as exc:
                status, message = JobStatus.FAILED, str(exc)
                self.note(message)
            for pattern in unmatched:  # as actions/upload-artifact's default (if-no-files-found: warn)
                self.note(f"warning: artifacts: {pattern} matched no file")
        if status is JobStatus.SUCCESS:
            save_dirs(job, ctx, cache_keys, self.note)
            if key is not None:
                entry = CacheEntry(key, job.id, ctx.run_id, outputs, artifacts)
                try:
                    saved_from = ctx.run_dir.job_artifacts(job.id) if artifacts else ctx.run_dir.root
                    ctx.cache.save(entry, saved_from)
                except LegoError as exc:  # the job succeeded; only the cache entry is missing
                    self.note(f"cache entry not saved: {exc}")
        outcome = ""
        if status is JobStatus.FAILED and job.continue_on_error:
            status, outcome = JobStatus.SUCCESS, "failure"
        return JobResult(
            job.id,
            status,
            message=ctx.masker.mask(message),
            outcome=outcome,
            attempts=attempts,
            exit_code=attempt.exit_code,
            cache_key=key,
            outputs=outputs,
            artifacts=artifacts,
            steps=tuple(attempt.steps),
            tests=tuple(tests),
            timed_out=attempt.timed_out,
        )


_OUTCOMES = {"failed": "failure", "timed_out": "failure"}


def _how_it_ended(outcome: ProcessOutcome) -> str:
    """In words: exited with 2, was killed by SIGKILL, timed out, or why it could not start."""
    if outcome.timed_out:
        return "timed out"
    code = outcome.exit_code
    if code is None:
        return outcome.error or "could not start"  # "cannot start 'bash' in DIR: No such file ..."
    if code < 0:
        name = signal_name(-code)
        return f"was killed by {name}" if name else f"was killed by signal {-code}"
    return f"exited with {code}"


class _LazyContext:
    """A step's expression context, built only when something needs one (most steps have no
    ``${{ }}`` and no ``if``)."""

    __slots__ = ("_ctx", "env", "runner", "state")

    def __init__(self, runner: JobRunner, env: Mapping[str, str], state: _Attempt) -> None:
        self.runner, self.env, self.state = runner, env, state
        self._ctx: ExprContext | None = None

    def __call__(self) -> ExprContext:
        if self._ctx is None:
            base = self.runner._expr_context(self.env, self.state.status)
            self._ctx = replace(base, steps=dict(self.state.step_states))
        return self._ctx


def _render(text: str, ectx: _LazyContext, where: str) -> str:
    return expr.render(text, ectx(), where) if "${{" in text else text


def _render_env(env: Mapping[str, str], ectx: _LazyContext, where: str) -> Mapping[str, str]:
    if not any("${{" in value for value in env.values()):
        return env
    return expr.render_env(env, ectx(), where)


def cached_result(
    ctx: RunContext, job: Job, upstream: Mapping[str, str]
) -> tuple[str | None, JobResult | None]:
    """The job's cache key, and its result when the cache has it (artifacts restored): no process,
    no thread and no log file for a hit. Called by the scheduler before it starts a job."""
    if not job.inputs:
        return None, None
    key = compute_key(
        job,
        ctx.pipeline,
        workspace=ctx.workspace,
        environ=ctx.base_env,
        manifest=ctx.manifest,
        upstream=upstream,
    )
    hit = ctx.cache.lookup(key) if ctx.use_cache and key is not None else None
    if hit is None or key is None:
        return key, None
    if hit.artifacts:
        ctx.cache.restore_artifacts(hit, ctx.run_dir.job_artifacts(job.id), job_workdir(job, ctx.workspace))
    now = now_iso()
    message = f"cache hit {key[:12]} from run {hit.run_id}"
    return key, JobResult(
        job.id,
        JobStatus.SUCCESS,
        cache_hit=True,
        cache_key=key,
        outputs=dict(hit.outputs),
        artifacts=hit.artifacts,
        started=now,
        finished=now,
        message=message,
    )
