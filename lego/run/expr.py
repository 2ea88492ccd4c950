"""The runner's one door to ``lego.spec.expressions``: build the context, evaluate ``if``, render text."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lego.model import GitInfo
    from lego.spec.exprcontext import ExprContext, NeedState, StepState


def make_context(
    *,
    env: Mapping[str, str],
    matrix: Mapping[str, str],
    needs: Mapping[str, NeedState],
    git: GitInfo,
    workspace: Path,
    secrets: Mapping[str, str],
    job_status: str = "success",
    steps: Mapping[str, StepState] | None = None,
) -> ExprContext:
    from lego.spec.exprcontext import ExprContext

    return ExprContext(
        env=env,
        matrix=matrix,
        needs=needs,
        steps=steps or {},
        git=git,
        job_status=job_status,
        workspace=workspace,
        secrets=secrets,
    )


def condition(expr: str | None, ctx: ExprContext, where: str) -> bool:
    if expr is None:
        return ctx.job_status == "success"
    from lego.spec.expressions import condition as evaluate_condition

    return evaluate_condition(expr, ctx, where=where)


def render(text: str, ctx: ExprContext, where: str) -> str:
    if "${{" not in text:
        return text
    from lego.spec.expressions import render as render_text

    return render_text(text, ctx, where=where)


def render_env(env: Mapping[str, str], ctx: ExprContext, where: str) -> dict[str, str]:
    return {k: render(v, ctx, where) for k, v in env.items()}


def uses_status_function(text: str) -> bool:
    """Whether an ``if`` calls success()/failure()/always()/cancelled() (else success() is implied)."""
    from lego.spec.expressions import strip_braces
    from lego.spec.expressions import uses_status_function as uses

    return bool(uses(strip_braces(text)))
