"""A :class:`~lego.model.Pipeline` to JSON and back, so a run can be resumed or retried exactly as it ran."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson

from lego.errors import RunStateError
from lego.model import CacheSpec, Job, Pipeline, Retry, SourcePos, Step


def pipeline_to_json(pipeline: Pipeline) -> dict[str, Any]:
    """Field by field (not by reflection): a 2,000-job pipeline is saved with every run."""
    return {
        "path": pipeline.path,
        "jobs": {jid: job_json(job) for jid, job in pipeline.jobs.items()},
        "env": dict(pipeline.env),
        "secrets": list(pipeline.secrets),
        "bricks": dict(pipeline.bricks),
    }


def _step_json(step: Step) -> dict[str, Any]:
    return {
        **step.__dict__,
        "shell": list(step.shell),
        "pos": dict(step.pos.__dict__),
        "env": dict(step.env),
        "brick_outputs": list(step.brick_outputs),
        "uses_pos": dict(step.uses_pos.__dict__) if step.uses_pos is not None else None,
    }


def job_json(job: Job) -> dict[str, Any]:
    d = dict(job.__dict__)
    d["steps"] = [_step_json(s) for s in job.steps]
    d["pos"] = dict(job.pos.__dict__)
    d["retry"] = {"max": job.retry.max, "when": list(job.retry.when)}
    d["cache"] = [
        {"key": c.key, "paths": list(c.paths), "restore_keys": list(c.restore_keys)} for c in job.cache
    ]
    for name in ("matrix", "env", "outputs"):
        d[name] = dict(d[name])
    return d


def _pos(d: dict[str, Any]) -> SourcePos:
    return SourcePos(**d)


def _step(d: dict[str, Any]) -> Step:
    return Step(
        **{
            **d,
            "shell": tuple(d["shell"]),
            "pos": _pos(d["pos"]),
            "env": dict(d["env"]),
            "brick_outputs": tuple(d.get("brick_outputs", ())),  # absent in runs saved before it
            "uses_pos": _pos(d["uses_pos"]) if d.get("uses_pos") else None,  # absent before it, too
        }
    )


def _job(d: dict[str, Any]) -> Job:
    tuples = ("needs", "artifacts", "inputs", "cache_env", "junit")
    return Job(
        **{
            **d,
            **{k: tuple(d[k]) for k in tuples},
            "steps": tuple(_step(s) for s in d["steps"]),
            "pos": _pos(d["pos"]),
            "retry": Retry(max=d["retry"]["max"], when=tuple(d["retry"]["when"])),
            "cache": tuple(
                CacheSpec(key=c["key"], paths=tuple(c["paths"]), restore_keys=tuple(c["restore_keys"]))
                for c in d["cache"]
            ),
        }
    )


def pipeline_from_json(data: dict[str, Any]) -> Pipeline:
    return Pipeline(
        path=data["path"],
        jobs={k: _job(v) for k, v in data["jobs"].items()},
        env=dict(data["env"]),
        secrets=tuple(data["secrets"]),
        bricks=dict(data["bricks"]),
    )


def save_pipeline(pipeline: Pipeline, path: Path) -> None:
    from lego.pipecache import derived

    known = derived(pipeline)
    if known is None:
        text = orjson.dumps(pipeline_to_json(pipeline)).decode()
    else:  # the jobs' text was made once with the cached pipeline: the same bytes as above
        head = {"path": pipeline.path}
        tail = {"env": dict(pipeline.env), "secrets": list(pipeline.secrets), "bricks": dict(pipeline.bricks)}
        text = (
            orjson.dumps(head).decode()[:-1]
            + ',"jobs":'
            + known.jobs_json
            + ","
            + orjson.dumps(tail).decode()[1:]
        )
    path.write_text(text, encoding="utf-8")


def load_saved_pipeline(path: Path) -> Pipeline:
    try:
        return pipeline_from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError as exc:
        raise RunStateError(f"{path} is missing: the run's directory was removed; start a new run") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise RunStateError(f"{path} cannot be read ({type(exc).__name__}: {exc}); start a new run") from exc
