"""``kind: file`` — does a file exist, how old and how big is it? (Did last night's backup run?)"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Literal

from pydantic import Field

from hucheng.durations import parse_duration
from tianyan.checks.base import CheckBase, Observation


class FileCheck(CheckBase):
    kind: Literal["file"]
    path: Path
    max_age: str | None = Field(default=None, description="fail when the file is older, e.g. 26h")
    min_size: int = Field(default=0, ge=0, description="fail when the file is smaller (bytes)")


def run(check: CheckBase, timeout: float) -> Observation:
    assert isinstance(check, FileCheck)
    labels = {"path": str(check.path)}
    try:
        st = check.path.stat()
    except OSError as exc:
        return Observation([("tianyan_file_exists", labels, 0.0)], False, f"{check.path}: {exc.strerror}")
    age = time.time() - st.st_mtime
    errors = []
    if check.max_age is not None and age > parse_duration(check.max_age).total_seconds():
        errors.append(f"{check.path} is {age:.0f}s old (max_age {check.max_age})")
    if st.st_size < check.min_size:
        errors.append(f"{check.path} is {st.st_size} bytes (min_size {check.min_size})")
    samples = [
        ("tianyan_file_exists", labels, 1.0),
        ("tianyan_file_age_seconds", labels, age),
        ("tianyan_file_size_bytes", labels, float(st.st_size)),
        ("tianyan_file_mtime_seconds", labels, st.st_mtime),
    ]
    return Observation(samples, not errors, "; ".join(errors))
