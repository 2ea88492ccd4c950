"""``lego plan``: what a run would do, without running anything.

For every expanded job, in the order a run would start them: its level in the DAG, its ``if`` when
that can be decided now (it reads only ``env``, ``matrix``, ``git`` and literals: a statically false
``if`` skips the job), the steps whose ``if`` is statically false, and, when a cache directory is
given, whether the content-hash cache would skip the job (``lego.run.cache``: the same key the runner
computes; input files are hashed read-only, the manifest is not saved).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from lego.errors import ExpressionError
from lego.model import Job, Pipeline
from lego.spec.dag import base_needs, levels, topo_order
from lego.spec.expressions import ExprContext, GitInfo, evaluate, references
from lego.spec.exprvalues import truthy

#: contexts and functions whose values are only known while the run goes
RUNTIME_ROOTS = frozenset({"needs", "steps", "secrets"})
RUNTIME_FUNCTIONS = frozenset({"success", "failure", "always", "cancelled"})
#: functions of the working tree: plan answers them as the files are now (a job may change them)
FILE_FUNCTIONS = frozenset({"hashfiles", "changes"})
_AS_NOW = " (as the files are now)"


class Decision(StrEnum):
    RUN = "run"
    SKIP_IF = "skip (if is false)"
    AT_RUN_TIME = "decided at run time"
    MANUAL = "waits for approval"


class CacheOutlook(StrEnum):
    HIT = "hit"  # the run skips the job and restores its outputs and artifacts
    MISS = "miss"
    NOT_CACHEABLE = "no inputs"  # the job declares no ``inputs:``, so it always runs
    UNKNOWN = "unknown"  # an upstream job is not cacheable: its outputs are known only after it ran
    NOT_CHECKED = "-"


@dataclass(frozen=True)
class PlannedJob:
    id: str
    base: str
    level: int
    needs: tuple[str, ...]
    matrix: Mapping[str, str]
    decision: Decision
    reason: str = ""
    skipped_steps: tuple[str, ...] = ()
    cache: CacheOutlook = CacheOutlook.NOT_CHECKED
    cache_key: str | None = None
    cached_run: str | None = None


@dataclass(frozen=True)
class Plan:
    path: str
    jobs: tuple[PlannedJob, ...] = field(default_factory=tuple)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for job in self.jobs:
            out[job.decision.value] = out.get(job.decision.value, 0) + 1
            if job.cache is CacheOutlook.HIT:
                out["cache hit"] = out.get("cache hit", 0) + 1
        return out


def static_condition(expr: str | None, ctx: ExprContext, *, files: bool = False) -> bool | None:
    """True/False when ``expr`` can be decided before the run, None when it depends on the run;
    with ``files``, ``changes()`` and ``hashFiles()`` are answered from the working tree as it is."""
    if expr is None:
        return None
    try:
        paths, calls = references(expr)
    except ExpressionError:
        return None
    if calls & RUNTIME_FUNCTIONS or (calls & FILE_FUNCTIONS and not files):
        return None
    if any(p[0] in RUNTIME_ROOTS for p in paths):
        return None
    try:
        return truthy(evaluate(expr, ctx))
    except ExpressionError:
        return None


def make_plan(
    pipeline: Pipeline,
    *,
    git: GitInfo | None = None,
    cache_root: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Plan:
    graph = base_needs(pipeline.jobs)
    depth = levels(graph)
    rank = {base: i for i, base in enumerate(topo_order(graph))}
    ordered = sorted(pipeline.jobs.values(), key=lambda j: (depth.get(j.base, 0), rank.get(j.base, 0)))
    workspace = Path(pipeline.path).resolve().parent
    instances: dict[str, list[str]] = {}
    for job in pipeline.jobs.values():
        instances.setdefault(job.base, []).append(job.id)
    keys = _CacheProbe(pipeline, cache_root, workspace, environ or {}) if cache_root else None
    planned = []
    for job in ordered:
        ctx = ExprContext(
            env={**pipeline.env, **job.env}, matrix=job.matrix, git=git or GitInfo(), workspace=workspace
        )
        decision, reason = _decide(job, ctx)
        skipped = tuple(s.id for s in job.steps if static_condition(s.if_, ctx, files=True) is False)
        deps = [d for base in job.needs for d in instances.get(base, [])]
        outlook, key, run = keys.outlook(job, deps) if keys else (CacheOutlook.NOT_CHECKED, None, None)
        planned.append(
            PlannedJob(
                id=job.id,
                base=job.base,
                level=depth.get(job.base, 0),
                needs=job.needs,
                matrix=job.matrix,
                decision=decision,
                reason=reason,
                skipped_steps=skipped,
                cache=outlook,
                cache_key=key,
                cached_run=run,
            )
        )
    return Plan(pipeline.path, tuple(planned))


def _decide(job: Job, ctx: ExprContext) -> tuple[Decision, str]:
    static, now = static_condition(job.if_, ctx), ""
    if static is None and job.if_ is not None:  # changes('docs/**'): known now, unless a job edits docs
        static = static_condition(job.if_, ctx, files=True)
        now = _AS_NOW if static is not None else ""
    if static is False:
        return Decision.SKIP_IF, f"if: {job.if_}{now}"
    if job.manual:
        return Decision.MANUAL, f"hucheng lego approve RUN '{job.id}'"
    if job.if_ and static is None:
        return Decision.AT_RUN_TIME, f"if: {job.if_}"
    return Decision.RUN, f"if: {job.if_} is true{now}" if now else ""


class _CacheProbe:
    """Cache keys in DAG order, as the runner computes them (``lego.run.cache.compute_key``)."""

    def __init__(self, pipeline: Pipeline, root: Path, workspace: Path, environ: Mapping[str, str]) -> None:
        from lego.run.cache import ContentCache, Manifest

        self.pipeline = pipeline
        self.cache = ContentCache(root)
        self.manifest = Manifest(root / "manifest.json")  # read only: never saved from here
        self.workspace = workspace
        self.environ = environ
        self.keys: dict[str, str | None] = {}
        self.outputs: dict[str, Mapping[str, str] | None] = {}

    def outlook(self, job: Job, deps: list[str]) -> tuple[CacheOutlook, str | None, str | None]:
        from lego.run.cache import compute_key

        upstream: dict[str, str] = {}
        for dep in deps:
            key = self.keys.get(dep)
            outputs = self.outputs.get(dep)
            if key is None and outputs is None:
                self.keys[job.id] = None
                return CacheOutlook.UNKNOWN, None, None
            upstream[dep] = key or json.dumps(dict(outputs or {}), sort_keys=True)
        try:
            key = compute_key(
                job,
                self.pipeline,
                workspace=self.workspace,
                environ=self.environ,
                manifest=self.manifest,
                upstream=upstream,
            )
        except OSError:
            key = None
        self.keys[job.id] = key
        if key is None:
            return CacheOutlook.NOT_CACHEABLE, None, None
        entry = self.cache.lookup(key)
        if entry is None:
            return CacheOutlook.MISS, key, None
        self.outputs[job.id] = entry.outputs
        return CacheOutlook.HIT, key, entry.run_id
