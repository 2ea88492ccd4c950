"""``kind: process`` — how many processes match a name or command line (psutil)?"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, model_validator

from tianyan.checks.base import CheckBase, Observation


class ProcessCheck(CheckBase):
    kind: Literal["process"]
    process_name: str | None = Field(default=None, description="exact process name, e.g. nginx")
    cmdline_regex: str | None = Field(default=None, description="regex searched in the joined cmdline")
    min_count: int = Field(default=1, ge=0)
    max_count: int | None = None

    @model_validator(mode="after")
    def _one_selector(self) -> ProcessCheck:
        if self.process_name is None and self.cmdline_regex is None:
            raise ValueError("a process check needs process_name or cmdline_regex")
        return self


def run(check: CheckBase, timeout: float) -> Observation:
    import psutil

    assert isinstance(check, ProcessCheck)
    pattern = re.compile(check.cmdline_regex) if check.cmdline_regex else None
    count = 0
    for proc in psutil.process_iter(["name", "cmdline"]):
        name = proc.info.get("name") or ""
        cmdline = " ".join(proc.info.get("cmdline") or [])
        if check.process_name is not None and name != check.process_name:
            continue
        if pattern is not None and not pattern.search(cmdline):
            continue
        count += 1
    labels = {"process": check.process_name or check.cmdline_regex or ""}
    ok = count >= check.min_count and (check.max_count is None or count <= check.max_count)
    error = "" if ok else f"{count} matching process(es), expected {check.min_count}..{check.max_count}"
    return Observation([("tianyan_process_count", labels, float(count))], ok, error)
