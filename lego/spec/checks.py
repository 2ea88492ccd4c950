"""Static checks of a job's expressions: syntax, known functions, and names that cannot resolve
(``matrix.X`` the matrix lacks, ``needs.J`` for a job not in ``needs``, an unknown context)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from lego.errors import ExpressionError
from lego.model import Job, SourcePos
from lego.spec.expressions import CONTEXTS, check_syntax, find_expressions, references, unclosed
from lego.spec.problems import Problem, ProblemKind, did_you_mean
from lego.spec.yamldoc import ValueAnchor


@dataclass(frozen=True)
class Site:
    """A text of the job that may hold expressions, and where it is written."""

    pos: SourcePos
    field: str
    text: str
    condition: bool  # one expression without braces (``if``)
    anchor: ValueAnchor | None = None  # where the value starts, when known: exact positions

    def at(self, offset: int) -> SourcePos:
        return self.anchor.locate(self.text, offset) if self.anchor else self.pos


def job_texts(
    job: Job,
    callers: Mapping[str, SourcePos] | None = None,
    anchors: Mapping[tuple[str, str], ValueAnchor] | None = None,
) -> Iterator[Site]:
    """Every text of the job and its steps that may hold expressions. A step from a brick is placed
    at its ``uses:`` (``callers``), the brick's own line named in the field; ``anchors`` give where
    ``run:`` and ``if:`` values start, so an expression's own line and column can be named."""
    marks = anchors or {}
    if job.if_:
        yield Site(job.pos, "if", job.if_, True, marks.get(("", "if")))
    for key, value in job.env.items():
        yield Site(job.pos, f"env.{key}", value, False)
    for key, value in job.outputs.items():
        yield Site(job.pos, f"outputs.{key}", value, False)
    for cache in job.cache:
        yield Site(job.pos, "cache.key", cache.key, False)
    if job.concurrency_group:
        yield Site(job.pos, "concurrency.group", job.concurrency_group, False)
    for step in job.steps:
        caller = (callers or {}).get(step.id)
        pos = caller or step.pos
        via = f" (brick {step.brick}, {step.pos})" if caller else ""
        label = f"steps.{step.id}"
        if step.if_:
            yield Site(pos, f"{label}.if{via}", step.if_, True, marks.get((step.id, "if")))
        yield Site(pos, f"{label}.run{via}", step.run, False, marks.get((step.id, "run")))
        if step.name.removesuffix("...") not in step.run:  # a name cut from the script's first line
            # is checked there (a long first line is cut to 60 characters and ends "...")
            yield Site(pos, f"{label}.name{via}", step.name, False)
        for key, value in step.env.items():
            yield Site(pos, f"{label}.env.{key}{via}", value, False)
        if step.working_directory:
            yield Site(pos, f"{label}.working-directory{via}", step.working_directory, False)


def job_expressions(
    job: Job,
    callers: Mapping[str, SourcePos] | None = None,
    anchors: Mapping[tuple[str, str], ValueAnchor] | None = None,
) -> Iterator[tuple[SourcePos, str, str]]:
    """(position, field, expression text) for every expression in the job and its steps."""
    for site in job_texts(job, callers, anchors):
        if site.condition:
            if "${{" not in site.text:  # else check_job reports the braces
                yield (site.anchor.pos if site.anchor else site.pos), site.field, site.text
        else:
            for offset, expr in find_expressions(site.text):
                yield site.at(offset), site.field, expr


def check_job(
    job: Job,
    matrix_keys: Sequence[str],
    outputs_of: Mapping[str, Sequence[str]] | None = None,
    callers: Mapping[str, SourcePos] | None = None,
    anchors: Mapping[tuple[str, str], ValueAnchor] | None = None,
    step_outputs: Mapping[str, Sequence[str]] | None = None,
) -> list[Problem]:
    """Problems in the job's expressions; ``outputs_of`` (base job -> its declared outputs) lets
    ``needs.J.outputs.X`` be checked against what J declares, and ``step_outputs`` (a ``uses:``
    step's id -> what its brick declares) ``steps.S.outputs.X`` against what the brick declares."""
    problems: list[Problem] = []
    step_ids = {s.id for s in job.steps} | {s.group for s in job.steps if s.group}
    seen: set[tuple[str, str]] = set()
    for site in job_texts(job, callers, anchors):
        where = f"jobs.{job.base}.{site.field}"
        if site.condition and "${{" in site.text:
            message = f"{where}: write the condition as one expression (a && b), not {site.text!r}"
            problems.append(Problem(site.pos, ProblemKind.EXPRESSION, message))
        elif not site.condition and (fragment := unclosed(site.text)) is not None:
            message = f"{where}: '${{{{' without a closing '}}}}': {fragment!r}"
            problems.append(Problem(site.pos, ProblemKind.EXPRESSION, message))
    for pos, field, expr in job_expressions(job, callers, anchors):
        if (field, expr) in seen:
            continue
        seen.add((field, expr))
        try:
            check_syntax(expr)
        except ExpressionError as exc:
            problems.append(Problem(pos, ProblemKind.EXPRESSION, f"jobs.{job.base}.{field}: {exc}"))
            continue
        names = _names(expr, job, matrix_keys, outputs_of or {}, step_ids, step_outputs or {})
        for message in dict.fromkeys(names):
            problems.append(Problem(pos, ProblemKind.EXPRESSION, f"jobs.{job.base}.{field}: {message}"))
    return problems


def _names(
    expr: str,
    job: Job,
    matrix_keys: Sequence[str],
    outputs_of: Mapping[str, Sequence[str]],
    step_ids: set[str],
    step_outputs: Mapping[str, Sequence[str]],
) -> Iterator[str]:
    paths, _ = references(expr)
    for path in sorted(paths):
        root = path[0]
        if root not in CONTEXTS:
            yield f"expression {expr!r}: unknown name '{root}' ({did_you_mean(root, CONTEXTS)})"
        elif root == "inputs":
            yield f"expression {expr!r}: 'inputs' exists only inside a brick"
        elif root == "matrix" and len(path) > 1:
            if not matrix_keys:
                yield f"expression {expr!r}: matrix.{path[1]}, but job '{job.base}' has no matrix"
            elif path[1] not in matrix_keys:
                yield f"expression {expr!r}: matrix has no '{path[1]}' ({did_you_mean(path[1], matrix_keys)})"
        elif root == "needs" and len(path) > 1 and path[1] not in job.needs:
            yield (
                f"expression {expr!r}: needs.{path[1]}, but job '{job.base}' does not need "
                f"'{path[1]}'; add it to needs:"
            )
        elif root == "needs" and len(path) > 2 and path[2] not in ("result", "outputs"):
            yield f"expression {expr!r}: needs.{path[1]}.{path[2]}: a need has 'result' and 'outputs'"
        elif root == "needs" and len(path) > 3 and path[1] in outputs_of:
            declared = outputs_of[path[1]]
            if path[3] not in declared:
                hint = did_you_mean(path[3], declared) if declared else "it declares no outputs:"
                yield f"expression {expr!r}: job '{path[1]}' has no output '{path[3]}' ({hint})"
        elif root == "steps" and len(path) > 1 and path[1] not in step_ids:
            hint = did_you_mean(path[1], sorted(step_ids)) or "give the step an id:"
            yield f"expression {expr!r}: job '{job.base}' has no step with id '{path[1]}' ({hint})"
        elif root == "steps" and len(path) > 3 and path[2] == "outputs" and step_outputs.get(path[1]):
            # a brick's declared outputs are its interface; one it does not declare is a typo
            declared = step_outputs[path[1]]
            if path[3] not in declared:
                yield (
                    f"expression {expr!r}: step '{path[1]}' (a brick) declares no output '{path[3]}' "
                    f"({did_you_mean(path[3], declared)})"
                )
