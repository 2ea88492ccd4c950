"""A :class:`~lego.model.Pipeline` to JSON and back, so a run can be resumed or retried exactly as it ran."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from lego.errors import RunStateError
from lego.model import CacheSpec, Job, Pipeline, Retry, SourcePos, Step


def pipeline_to_json(pipeline: Pipeline) -> dict[str, Any]:
    return _plain(pipeline)  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _pos(d: dict[str, Any]) -> SourcePos:
    return SourcePos(**d)


def _step(d: dict[str, Any]) -> Step:
    return Step(**{**d, "shell": tuple(d["shell"]), "pos": _pos(d["pos"]), "env": dict(d["env"])})


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
    path.write_text(json.dumps(pipeline_to_json(pipeline), ensure_ascii=False), encoding="utf-8")


def load_saved_pipeline(path: Path) -> Pipeline:
    try:
        return pipeline_from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError as exc:
        raise RunStateError(f"{path} is missing: the run's directory was removed; start a new run") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise RunStateError(f"{path} cannot be read ({type(exc).__name__}: {exc}); start a new run") from exc
