"""The context an expression is evaluated against (``env``, ``matrix``, ``needs``, ``steps``, ``git``,
``secrets``, ``inputs``), as plain frozen values. Kept apart from the evaluator so that the runner
builds contexts and step states without importing the expression parser (lark)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lego.model import GitInfo
from lego.spec.exprvalues import Value


@dataclass(frozen=True)
class NeedState:
    result: str  # success | failure | cancelled | skipped
    outputs: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StepState:
    outcome: str  # success | failure | cancelled | skipped (before continue-on-error)
    conclusion: str = ""  # after continue-on-error; defaults to outcome
    outputs: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ExprContext:
    env: Mapping[str, str] = field(default_factory=dict)
    matrix: Mapping[str, str] = field(default_factory=dict)
    needs: Mapping[str, NeedState] = field(default_factory=dict)
    steps: Mapping[str, StepState] = field(default_factory=dict)
    git: GitInfo = field(default_factory=GitInfo)
    #: "success" | "failure" | "cancelled": how the job (or, for a job's ``if``, its needs) went so far
    job_status: str = "success"
    workspace: Path = field(default_factory=Path.cwd)
    secrets: Mapping[str, str] = field(default_factory=dict)
    inputs: Mapping[str, Any] = field(default_factory=dict)

    def root(self, name: str) -> Value:
        if name == "env":
            return dict(self.env)
        if name == "matrix":
            return dict(self.matrix)
        if name == "needs":
            return {k: {"result": v.result, "outputs": dict(v.outputs)} for k, v in self.needs.items()}
        if name == "steps":
            return _steps_context(self.steps)
        if name == "git":
            g = self.git
            return {"branch": g.branch, "sha": g.sha, "author": g.author, "base_ref": g.base_ref}
        if name == "secrets":
            return dict(self.secrets)
        if name == "inputs":
            return dict(self.inputs)
        raise KeyError(name)


def _steps_context(steps: Mapping[str, StepState]) -> dict[str, Any]:
    """``steps.<id>``; the steps a brick expanded into (ids ``<group>.<inner>``) are also gathered
    under ``steps.<group>``: outputs merged in order, outcome failure > cancelled > success > skipped."""
    out: dict[str, Any] = {
        k: {"outcome": v.outcome, "conclusion": v.conclusion or v.outcome, "outputs": dict(v.outputs)}
        for k, v in steps.items()
    }
    groups: dict[str, list[StepState]] = {}
    for key, state in steps.items():
        group, dot, _ = key.partition(".")
        if dot and group not in steps:
            groups.setdefault(group, []).append(state)
    rank = ("failure", "cancelled", "success", "skipped")
    for group, states in groups.items():
        outputs: dict[str, str] = {}
        for state in states:
            outputs.update(state.outputs)
        outcomes = {st.outcome for st in states}
        conclusions = {st.conclusion or st.outcome for st in states}
        worst = next((r for r in rank if r in outcomes), "success")
        worst_conclusion = next((r for r in rank if r in conclusions), "success")
        out[group] = {"outcome": worst, "conclusion": worst_conclusion, "outputs": outputs}
    return out


#: the names an expression may start with (besides function calls)
CONTEXTS = ("env", "matrix", "needs", "steps", "git", "secrets", "inputs")
