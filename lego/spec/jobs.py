"""One job's mapping (after ``extends:``) -> :class:`lego.model.Job` instances (one per matrix entry).

Steps come from :mod:`lego.spec.steps`; a job that is a brick (``uses:`` + ``with:``) takes the
brick's steps and its ``job:`` keys (``junit``, ``artifacts``, ``inputs``, ``outputs``,
``environment``, ``timeout``), with the inputs bound.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lego.errors import BrickError
from lego.model import CacheSpec, Job, Retry, SourcePos, Step
from lego.spec.assemble import Located
from lego.spec.bricks import BoundInputs, Brick, bind_inputs, bound_globs, find_brick, substitute
from lego.spec.matrix import MatrixError, expand, instance_id
from lego.spec.problems import Problem, ProblemKind, ProblemsError, from_validation
from lego.spec.schema import JobSpec, as_list
from lego.spec.steps import brick_steps, build_steps, duration, if_text
from lego.spec.yamldoc import ValueAnchor, scalar_text


@dataclass
class JobBuild:
    """What building one base job gives: its instances and the bricks it used."""

    instances: list[Job]
    bricks: dict[str, str] = field(default_factory=dict)
    matrix_keys: tuple[str, ...] = ()
    #: step id -> where the ``uses:`` it came from is written (steps from bricks only)
    callers: dict[str, SourcePos] = field(default_factory=dict)
    #: (step id or "", field) -> where a value holding ``${{`` starts, for exact expression positions
    anchors: dict[tuple[str, str], ValueAnchor] = field(default_factory=dict)
    #: id of a ``uses:`` step -> the outputs its brick declares
    step_outputs: dict[str, tuple[str, ...]] = field(default_factory=dict)


def build_job(job: Located, *, pipeline_shell: str | None, brick_dirs: Sequence[Path]) -> JobBuild:
    try:
        spec = JobSpec.model_validate(job.data)
    except ValidationError as exc:
        raise ProblemsError(from_validation(exc, JobSpec, job.pos, f"jobs.{job.name}")) from exc
    problems: list[Problem] = []
    bricks: dict[str, str] = {}
    job_pos = job.pos()
    default_shell = spec.shell or pipeline_shell
    steps: list[Step] = []
    callers: dict[str, SourcePos] = {}
    step_outputs: dict[str, tuple[str, ...]] = {}
    extras: dict[str, Any] = {}
    #: junit/artifacts/inputs that bricks used as steps add to the job
    collected: dict[str, list[str]] = {"junit": [], "artifacts": [], "inputs": []}
    if spec.uses is not None:
        try:
            brick = find_brick(spec.uses, brick_dirs)
            bricks[brick.spec.name] = brick.spec.version
            from_brick = brick_steps(brick, spec.with_, None, job.pos(("uses",)), default_shell, None)
            steps.extend(from_brick)
            callers.update((s.id, job.pos(("uses",))) for s in from_brick)
            bound = bind_inputs(brick, spec.with_, str(job.pos(("uses",))))
            extras = _bound_tree(brick.spec.job.model_dump(exclude_defaults=True), bound, brick)
            for key in ("junit", "artifacts", "inputs"):
                extras[key] = bound_globs(getattr(brick.spec.job, key), bound, brick)
        except BrickError as exc:
            problems.append(_brick_problem(exc, job.pos(("uses",))))
        except ProblemsError as exc:
            problems.extend(exc.problems)
    anchors: dict[tuple[str, str], ValueAnchor] = {}
    for key in ("if",):
        if (found := job.anchor((key,))) is not None:
            anchors[("", key)] = found
    for index, step in enumerate(spec.steps):
        pos = job.pos(("steps", index))
        for key in ("run", "if"):
            if step.uses is None and (found := job.anchor(("steps", index, key))) is not None:
                anchors[(step.id or f"step-{index + 1}", key)] = found
        try:
            built_steps = build_steps(
                step, index, job, default_shell, brick_dirs, bricks, collected, step_outputs
            )
            steps.extend(built_steps)
            if step.uses is not None:
                callers.update((s.id, pos) for s in built_steps)
        except BrickError as exc:
            problems.append(_brick_problem(exc, pos))
        except ProblemsError as exc:
            problems.extend(exc.problems)
    seen: set[str] = set()
    for built in steps:
        if built.id in seen:
            problems.append(Problem(built.pos, ProblemKind.SCHEMA, f"steps: duplicate step id '{built.id}'"))
        seen.add(built.id)
    env = _env(spec.env, job, ("env",), problems)
    timeout = duration(
        spec.timeout or extras.get("timeout"), job.pos(("timeout",)), problems, f"jobs.{job.name}.timeout"
    )
    retry = _retry(spec, job, problems)
    try:
        matrix = expand(spec.matrix)
    except MatrixError as exc:
        problems.append(Problem(job.pos(("matrix",)), ProblemKind.MATRIX, str(exc)))
        matrix = expand({})
    if problems:
        raise ProblemsError(problems)
    group, cancel = _concurrency(spec)
    common: dict[str, Any] = dict(
        base=job.name,
        steps=tuple(steps),
        pos=job_pos,
        needs=tuple(as_list(spec.needs)),
        env=env,
        if_=if_text(spec.if_),
        timeout_seconds=timeout,
        retry=retry,
        continue_on_error=spec.continue_on_error,
        working_directory=spec.working_directory,
        outputs={**extras.get("outputs", {}), **spec.outputs},
        artifacts=_union(spec.artifacts, extras.get("artifacts"), collected["artifacts"]),
        cache=_cache(spec),
        inputs=_union(spec.inputs, extras.get("inputs"), collected["inputs"]),
        cache_env=tuple(as_list(spec.cache_env)),
        junit=_union(spec.junit, extras.get("junit"), collected["junit"]),
        environment=spec.environment or extras.get("environment"),
        concurrency_group=group,
        cancel_in_progress=cancel,
        manual=spec.manual,
        max_parallel=matrix.max_parallel,
        fail_fast=matrix.fail_fast,
    )
    if not matrix.combinations:
        return JobBuild([Job(id=job.name, **common)], bricks, (), callers, anchors, step_outputs)
    instances = [Job(id=instance_id(job.name, m), matrix=m, **common) for m in matrix.combinations]
    keys = tuple(dict.fromkeys(k for m in matrix.combinations for k in m))
    return JobBuild(instances, bricks, keys, callers, anchors, step_outputs)


def _union(*lists: list[str] | str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for values in lists for item in as_list(values)))


def _bound_tree(value: Any, bound: BoundInputs, brick: Brick) -> Any:
    if isinstance(value, str):
        return substitute(value, bound, brick, brick.doc.file)
    if isinstance(value, list):
        return [_bound_tree(v, bound, brick) for v in value]
    if isinstance(value, dict):
        return {k: _bound_tree(v, bound, brick) for k, v in value.items()}
    return value


def _brick_problem(exc: BrickError, pos: SourcePos) -> Problem:
    text = str(exc)
    if text.split(":", 1)[0].endswith((".yml", ".yaml")):  # already says where
        head, _, rest = text.partition(": ")
        parts = head.rsplit(":", 2)
        if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
            return Problem(SourcePos(parts[0], int(parts[1]), int(parts[2])), ProblemKind.BRICK, rest)
    return Problem(pos, ProblemKind.BRICK, text)


def _env(
    values: dict[str, Any], job: Located, key: tuple[str, ...], problems: list[Problem]
) -> dict[str, str]:
    out = {}
    for name, value in values.items():
        text = scalar_text(value)
        if text is None:
            problems.append(
                Problem(job.pos((*key, name)), ProblemKind.SCHEMA, f"env.{name}: expected a scalar")
            )
            continue
        out[name] = text
    return out


def _retry(spec: JobSpec, job: Located, problems: list[Problem]) -> Retry:
    if spec.retry is None:
        return Retry()
    if isinstance(spec.retry, int):
        return Retry(max=spec.retry)
    when = spec.retry.when if isinstance(spec.retry.when, list) else [spec.retry.when]
    texts = []
    for item in when:
        text = str(item)
        if text != "timeout" and not text.isdigit():
            problems.append(
                Problem(
                    job.pos(("retry", "when")),
                    ProblemKind.SCHEMA,
                    f"retry.when: {text!r} is neither an exit code nor 'timeout'",
                )
            )
        texts.append(text)
    return Retry(max=spec.retry.max, when=tuple(texts))


def _cache(spec: JobSpec) -> tuple[CacheSpec, ...]:
    if spec.cache is None:
        return ()
    entries = spec.cache if isinstance(spec.cache, list) else [spec.cache]
    return tuple(CacheSpec(e.key, tuple(as_list(e.paths)), tuple(as_list(e.restore_keys))) for e in entries)


def _concurrency(spec: JobSpec) -> tuple[str | None, bool]:
    if spec.concurrency is None:
        return None, False
    if isinstance(spec.concurrency, str):
        return spec.concurrency, False
    return spec.concurrency.group, spec.concurrency.cancel_in_progress
