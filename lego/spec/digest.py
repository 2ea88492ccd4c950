"""The definition part of a job's cache key: what the job *is*, independent of where it is written.

sha256 over canonical JSON (sorted keys, no whitespace) of the expanded job without source positions
(moving a job in the file must not bust its cache), the pipeline's ``env`` and the versions of the
bricks its steps came from. The runner adds the contents of ``inputs`` files and ``cache-env`` values.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from lego.model import Job, Pipeline, SourcePos


def job_definition_digest(job: Job, pipeline: Pipeline) -> str:
    bricks = sorted({s.brick for s in job.steps if s.brick})
    payload = {"job": _plain(job), "env": dict(pipeline.env), "bricks": bricks, "format": 1}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, SourcePos):
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "pos"}
    if hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
