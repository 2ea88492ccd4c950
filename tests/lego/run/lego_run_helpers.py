"""Building pipelines directly as lego.model objects, and running them against a real SQLite store."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hucheng.store import Store
from lego.model import Job, Pipeline, SourcePos, Step
from lego.run.engine import RunOptions, execute
from lego.run.state import RunResult

BASH = ("bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c")


def step(run: str, n: int = 1, **kw: Any) -> Step:
    kw.setdefault("id", f"step-{n}")
    kw.setdefault("name", run.splitlines()[0][:40] if run.strip() else f"step-{n}")
    return Step(run=run, shell=BASH, pos=SourcePos(".lego.yml", n), **kw)


def job(jid: str, *runs: str, base: str | None = None, **kw: Any) -> Job:
    steps = tuple(step(r, i + 1) if isinstance(r, str) else r for i, r in enumerate(runs))
    return Job(id=jid, base=base or jid, steps=steps, pos=SourcePos(".lego.yml", 1), **kw)


def pipeline(workspace: Path, *jobs: Job, **kw: Any) -> Pipeline:
    return Pipeline(path=str(workspace / ".lego.yml"), jobs={j.id: j for j in jobs}, **kw)


def run(
    p: Pipeline, store: Store, home: Path, environ: Mapping[str, str] | None = None, **kw: Any
) -> RunResult:
    env = dict(environ if environ is not None else {"PATH": os.environ["PATH"]})
    kw.setdefault("grace", 1.0)
    kw.setdefault("poll_interval", 0.1)
    return execute(p, store=store, home=home, options=RunOptions(environ=env, **kw))
