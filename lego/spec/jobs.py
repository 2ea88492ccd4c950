"""One job's mapping (after ``extends:``) -> :class:`lego.model.Job` instances (one per matrix entry).

Steps with ``uses:`` are replaced by the brick's steps, ids ``<step id>.<brick step id>`` and
``group`` set to the ``uses:`` step's id (the runner gathers the group's outputs under that id).
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lego.errors import BrickError
from lego.model import CacheSpec, Job, Retry, SourcePos, Step
from lego.spec.assemble import Located
from lego.spec.bricks import BoundInputs, Brick, bind_inputs, find_brick, substitute
from lego.spec.expressions import strip_braces
from lego.spec.matrix import MatrixError, expand, instance_id
from lego.spec.problems import Problem, ProblemKind, from_validation
from lego.spec.schema import JobSpec, StepSpec, as_list
from lego.spec.yamldoc import scalar_text

BASH = ("bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c")
SHELLS: dict[str, tuple[str, ...]] = {
    "bash": BASH,
    "sh": ("sh", "-e", "-c"),
    "python": ("python3", "-c"),
}


class JobProblems(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(str(problems[0]))
        self.problems = problems


@dataclass
class JobBuild:
    """What building one base job gives: its instances and the bricks it used."""

    instances: list[Job]
    bricks: dict[str, str] = field(default_factory=dict)
    matrix_keys: tuple[str, ...] = ()


def shell_argv(shell: str | None, pos: SourcePos) -> tuple[str, ...]:
    """``bash``/``sh``/``python``, or a command template with ``{0}`` for the script's file (as in
    GitHub Actions): wrapped so the runner can still append the script as one argument."""
    if shell is None:
        return BASH
    if shell in SHELLS:
        return SHELLS[shell]
    if "{0}" in shell:
        try:
            shlex.split(shell)
        except ValueError as exc:
            raise JobProblems([Problem(pos, ProblemKind.SCHEMA, f"shell: {exc}")]) from exc
        command = shell.replace("{0}", '"$f"')
        wrapper = f'f=$(mktemp) && printf "%s" "$1" > "$f" && {{ {command}; }}; rc=$?; rm -f "$f"; exit $rc'
        return ("bash", "--noprofile", "--norc", "-c", wrapper, "lego-shell")
    known = ", ".join(SHELLS)
    raise JobProblems(
        [Problem(pos, ProblemKind.SCHEMA, f"shell: '{shell}' is not {known}, or a command with {{0}}")]
    )


def build_job(job: Located, *, pipeline_shell: str | None, brick_dirs: Sequence[Path]) -> JobBuild:
    try:
        spec = JobSpec.model_validate(job.data)
    except ValidationError as exc:
        raise JobProblems(from_validation(exc, JobSpec, job.pos, f"jobs.{job.name}")) from exc
    problems: list[Problem] = []
    bricks: dict[str, str] = {}
    job_pos = job.pos()
    default_shell = spec.shell or pipeline_shell
    steps: list[Step] = []
    extras: dict[str, Any] = {}
    #: junit/artifacts/inputs that bricks used as steps add to the job
    collected: dict[str, list[str]] = {"junit": [], "artifacts": [], "inputs": []}
    if spec.uses is not None:
        try:
            brick = find_brick(spec.uses, brick_dirs)
            bricks[brick.spec.name] = brick.spec.version
            steps.extend(_brick_steps(brick, spec.with_, None, job.pos(("uses",)), default_shell, None))
            bound = bind_inputs(brick, spec.with_, str(job.pos(("uses",))))
            extras = _bound_tree(brick.spec.job.model_dump(exclude_defaults=True), bound, brick)
        except BrickError as exc:
            problems.append(_brick_problem(exc, job.pos(("uses",))))
        except JobProblems as exc:
            problems.extend(exc.problems)
    for index, step in enumerate(spec.steps):
        pos = job.pos(("steps", index))
        try:
            steps.extend(_steps(step, index, job, default_shell, brick_dirs, bricks, collected))
        except BrickError as exc:
            problems.append(_brick_problem(exc, pos))
        except JobProblems as exc:
            problems.extend(exc.problems)
    seen: set[str] = set()
    for built in steps:
        if built.id in seen:
            problems.append(Problem(built.pos, ProblemKind.SCHEMA, f"steps: duplicate step id '{built.id}'"))
        seen.add(built.id)
    env = _env(spec.env, job, ("env",), problems)
    timeout = _duration(
        spec.timeout or extras.get("timeout"), job.pos(("timeout",)), problems, f"jobs.{job.name}.timeout"
    )
    retry = _retry(spec, job, problems)
    try:
        matrix = expand(spec.matrix)
    except MatrixError as exc:
        problems.append(Problem(job.pos(("matrix",)), ProblemKind.MATRIX, str(exc)))
        matrix = expand({})
    if problems:
        raise JobProblems(problems)
    group, cancel = _concurrency(spec)
    common: dict[str, Any] = dict(
        base=job.name,
        steps=tuple(steps),
        pos=job_pos,
        needs=tuple(as_list(spec.needs)),
        env=env,
        if_=_if(spec.if_),
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
        return JobBuild([Job(id=job.name, **common)], bricks)
    instances = [Job(id=instance_id(job.name, m), matrix=m, **common) for m in matrix.combinations]
    keys = tuple(dict.fromkeys(k for m in matrix.combinations for k in m))
    return JobBuild(instances, bricks, keys)


def _steps(
    step: StepSpec,
    index: int,
    job: Located,
    shell: str | None,
    dirs: Sequence[Path],
    bricks: dict[str, str],
    collected: dict[str, list[str]],
) -> list[Step]:
    pos = job.pos(("steps", index))
    step_id = step.id or f"step-{index + 1}"
    env = _env_plain(step.env, pos)
    errors: list[Problem] = []
    timeout = _duration(
        step.timeout, job.pos(("steps", index, "timeout")), errors, f"jobs.{job.name}.steps.{index}.timeout"
    )
    if errors:
        raise JobProblems(errors)
    if step.uses is None:
        return [
            Step(
                id=step_id,
                name=step.name or _first_line(step.run or ""),
                run=step.run or "",
                shell=shell_argv(step.shell or shell, pos),
                pos=pos,
                env=env,
                if_=_if(step.if_),
                timeout_seconds=timeout,
                continue_on_error=step.continue_on_error,
                working_directory=step.working_directory,
            )
        ]
    brick = find_brick(step.uses, dirs)
    bricks[brick.spec.name] = brick.spec.version
    inner = _brick_steps(brick, step.with_, step_id, pos, step.shell or shell, _if(step.if_))
    extras = brick.spec.job
    for key, values in (("junit", extras.junit), ("artifacts", extras.artifacts), ("inputs", extras.inputs)):
        collected[key].extend(as_list(values))
    out = []
    for s in inner:
        out.append(
            Step(
                **{
                    **s.__dict__,
                    "name": f"{step.name}: {s.name}" if step.name else s.name,
                    "env": {**s.env, **env},
                    "timeout_seconds": timeout if timeout is not None else s.timeout_seconds,
                    "continue_on_error": step.continue_on_error or s.continue_on_error,
                    "working_directory": step.working_directory or s.working_directory,
                }
            )
        )
    return out


def _brick_steps(
    brick: Brick,
    given: dict[str, Any],
    group: str | None,
    pos: SourcePos,
    shell: str | None,
    caller_if: str | None,
) -> list[Step]:
    bound = bind_inputs(brick, given, str(pos))
    doc = brick.doc
    brick_env = _env_plain(brick.spec.env, doc.pos(("env",)))
    out = []
    for index, raw in enumerate(brick.spec.steps):
        where = doc.pos(("steps", index))
        w = str(where)
        inner_id = raw.id or f"step-{index + 1}"
        run = substitute(raw.run or "", bound, brick, w)
        if raw.uses is not None:
            raise BrickError(f"{where}: brick {brick.ref}: a brick's steps are run: steps (no nested uses:)")
        own_if = _if(raw.if_)
        own_if = strip_braces(substitute("${{ " + own_if + " }}", bound, brick, w)) if own_if else None
        out.append(
            Step(
                id=f"{group}.{inner_id}" if group else inner_id,
                name=substitute(raw.name or _first_line(run), bound, brick, w).strip(),
                run=run,
                shell=shell_argv(raw.shell or shell, where),
                pos=where,
                env={
                    k: substitute(v, bound, brick, w)
                    for k, v in {**brick_env, **_env_plain(raw.env, where)}.items()
                },
                if_=_combine_if(caller_if, own_if),
                timeout_seconds=_duration(raw.timeout, where, []),
                continue_on_error=raw.continue_on_error,
                working_directory=substitute(raw.working_directory, bound, brick, w)
                if raw.working_directory
                else None,
                brick=brick.ref,
                group=group,
            )
        )
    return out


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


def _combine_if(caller: str | None, own: str | None) -> str | None:
    if caller and own:
        return f"({caller}) && ({own})"
    return caller or own


def _brick_problem(exc: BrickError, pos: SourcePos) -> Problem:
    text = str(exc)
    if text.split(":", 1)[0].endswith((".yml", ".yaml")):  # already says where
        head, _, rest = text.partition(": ")
        parts = head.rsplit(":", 2)
        if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
            return Problem(SourcePos(parts[0], int(parts[1]), int(parts[2])), ProblemKind.BRICK, rest)
    return Problem(pos, ProblemKind.BRICK, text)


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= 60 else line[:57] + "..."


def _if(value: str | bool | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return strip_braces(value)


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


def _env_plain(values: dict[str, Any], pos: SourcePos) -> dict[str, str]:
    out = {}
    for name, value in values.items():
        text = scalar_text(value)
        if text is None:
            raise JobProblems([Problem(pos, ProblemKind.SCHEMA, f"env.{name}: expected a scalar")])
        out[name] = text
    return out


def _duration(
    text: str | None, pos: SourcePos, problems: list[Problem], key: str = "timeout"
) -> float | None:
    if text is None:
        return None
    from hucheng.durations import parse_duration

    try:
        return parse_duration(str(text)).total_seconds()
    except ValueError as exc:
        problems.append(Problem(pos, ProblemKind.SCHEMA, f"{key}: {exc}"))
        return None


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
