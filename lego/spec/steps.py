"""Steps: ``run:`` steps with their shell, and ``uses:`` steps replaced by their brick's steps.

A brick's steps get ids ``<uses step id>.<brick step id>`` and ``group`` = the ``uses:`` step's id,
so ``steps.<id>.outputs`` gathers them (see :mod:`lego.spec.expressions`). The ``uses:`` step's
``name``, ``if``, ``env``, ``timeout``, ``continue-on-error`` and ``working-directory`` apply to each.
"""

from __future__ import annotations

import dataclasses
import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hucheng.durations import parse_duration
from lego.errors import BrickError
from lego.model import SourcePos, Step
from lego.spec.assemble import Located
from lego.spec.bricks import Brick, bind_inputs, bound_globs, find_brick, substitute
from lego.spec.expressions import strip_braces, unclosed
from lego.spec.problems import Problem, ProblemKind, ProblemsError
from lego.spec.schema import StepSpec
from lego.spec.yamldoc import scalar_text

BASH = ("bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c")
SHELLS: dict[str, tuple[str, ...]] = {
    "bash": BASH,
    "sh": ("sh", "-e", "-c"),
    "python": ("python3", "-c"),
}


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
            raise ProblemsError([Problem(pos, ProblemKind.SCHEMA, f"shell: {exc}")]) from exc
        command = shell.replace("{0}", '"$f"')
        wrapper = f'f=$(mktemp) && printf "%s" "$1" > "$f" && {{ {command}; }}; rc=$?; rm -f "$f"; exit $rc'
        return ("bash", "--noprofile", "--norc", "-c", wrapper, "lego-shell")
    known = ", ".join(SHELLS)
    raise ProblemsError(
        [Problem(pos, ProblemKind.SCHEMA, f"shell: '{shell}' is not {known}, or a command with {{0}}")]
    )


def build_steps(
    step: StepSpec,
    index: int,
    job: Located,
    shell: str | None,
    dirs: Sequence[Path],
    bricks: dict[str, str],
    collected: dict[str, list[str]],
    declared: dict[str, tuple[str, ...]] | None = None,
) -> list[Step]:
    """The step's runnable steps (a ``uses:`` step expands into its brick's). ``declared`` gets, for a
    ``uses:`` step, its id -> the outputs its brick declares (what ``steps.<id>.outputs`` may name)."""
    pos = job.pos(("steps", index))
    step_id = step.id or f"step-{index + 1}"
    env = env_plain(step.env, pos)
    errors: list[Problem] = []
    timeout = duration(
        step.timeout, job.pos(("steps", index, "timeout")), errors, f"jobs.{job.name}.steps.{index}.timeout"
    )
    if errors:
        raise ProblemsError(errors)
    if step.uses is None:
        return [
            Step(
                id=step_id,
                name=step.name or _first_line(step.run or ""),
                run=step.run or "",
                shell=shell_argv(step.shell or shell, pos),
                pos=pos,
                env=env,
                if_=if_text(step.if_),
                timeout_seconds=timeout,
                continue_on_error=step.continue_on_error,
                working_directory=step.working_directory,
            )
        ]
    brick = find_brick(step.uses, dirs)
    bricks[brick.spec.name] = brick.spec.version
    if declared is not None:
        declared[step_id] = tuple(brick.spec.outputs)
    inner = brick_steps(brick, step.with_, step_id, pos, step.shell or shell, if_text(step.if_))
    extras = brick.spec.job
    bound = bind_inputs(brick, step.with_, str(pos))
    for key, values in (("junit", extras.junit), ("artifacts", extras.artifacts), ("inputs", extras.inputs)):
        collected[key].extend(bound_globs(values, bound, brick))
    last = len(inner) - 1
    return [
        dataclasses.replace(
            s,
            name=f"{step.name}: {s.name}" if step.name else s.name,
            env={**s.env, **env},
            timeout_seconds=timeout if timeout is not None else s.timeout_seconds,
            continue_on_error=step.continue_on_error or s.continue_on_error,
            working_directory=step.working_directory or s.working_directory,
            brick_outputs=tuple(brick.spec.outputs) if n == last else (),
            uses_pos=pos,
        )
        for n, s in enumerate(inner)
    ]


def brick_steps(
    brick: Brick,
    given: dict[str, Any],
    group: str | None,
    pos: SourcePos,
    shell: str | None,
    caller_if: str | None,
) -> list[Step]:
    bound = bind_inputs(brick, given, str(pos))
    doc = brick.doc
    brick_env = env_plain(brick.spec.env, doc.pos(("env",)))
    out = []
    for index, raw in enumerate(brick.spec.steps):
        where = doc.pos(("steps", index))
        w = str(where)
        inner_id = raw.id or f"step-{index + 1}"
        run = substitute(raw.run or "", bound, brick, w)
        if raw.uses is not None:
            raise BrickError(f"{where}: brick {brick.ref}: a brick's steps are run: steps (no nested uses:)")
        own_if = if_text(raw.if_)
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
                    for k, v in {**brick_env, **env_plain(raw.env, where)}.items()
                },
                if_=_combineif_text(caller_if, own_if),
                timeout_seconds=duration(raw.timeout, where, []),
                continue_on_error=raw.continue_on_error,
                working_directory=substitute(raw.working_directory, bound, brick, w)
                if raw.working_directory
                else None,
                brick=brick.ref,
                group=group,
            )
        )
    return out


def _combineif_text(caller: str | None, own: str | None) -> str | None:
    if caller and own:
        return f"({caller}) && ({own})"
    return caller or own


def _first_line(text: str) -> str:
    """The script's first line as a step name, cut to 60 characters (never inside a ``${{ }}``)."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    if len(line) <= 60:
        return line
    cut = line[:57]
    if unclosed(cut) is not None:
        cut = cut[: cut.rfind("${{")]
    return cut.rstrip() + "..."


def if_text(value: str | bool | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return strip_braces(value)


def env_plain(values: dict[str, Any], pos: SourcePos) -> dict[str, str]:
    out = {}
    for name, value in values.items():
        text = scalar_text(value)
        if text is None:
            raise ProblemsError([Problem(pos, ProblemKind.SCHEMA, f"env.{name}: expected a scalar")])
        out[name] = text
    return out


def duration(text: str | None, pos: SourcePos, problems: list[Problem], key: str = "timeout") -> float | None:
    if text is None:
        return None
    try:
        return parse_duration(str(text)).total_seconds()
    except ValueError as exc:
        problems.append(Problem(pos, ProblemKind.SCHEMA, f"{key}: {exc}"))
        return None
