"""What every job of one run shares: the pipeline, directories, environment, secrets, cache, views."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from lego.model import Pipeline
from lego.run.cache import ContentCache, Manifest
from lego.run.journal import Journal
from lego.run.layout import RunDir
from lego.run.masking import Masker
from lego.run.state import JobResult

if TYPE_CHECKING:
    from lego.spec.expressions import GitInfo


class LogView(Protocol):
    """Where live output goes (a rich view, prefixed lines, nothing). Called from the runner's loop
    and from the helper threads that do a job's file work."""

    def job_started(self, job: str) -> None: ...

    def line(self, job: str, text: str) -> None: ...

    def lines(self, job: str, texts: list[str]) -> None:
        """Several lines of one job at once (what a step printed in one read)."""
        ...

    def job_finished(self, result: JobResult) -> None: ...

    def flush(self) -> None:
        """Called by the loop before it waits: what was written must be seen now."""
        ...


class NullView:
    def job_started(self, job: str) -> None:
        pass

    def flush(self) -> None:
        pass

    def line(self, job: str, text: str) -> None:
        pass

    def lines(self, job: str, texts: list[str]) -> None:
        pass

    def job_finished(self, result: JobResult) -> None:
        pass


@dataclass
class RunContext:
    run_id: str
    pipeline: Pipeline
    workspace: Path
    run_dir: RunDir
    home: Path
    base_env: Mapping[str, str]
    secrets: Mapping[str, str]
    masker: Masker
    git: GitInfo
    journal: Journal
    cache: ContentCache
    manifest: Manifest
    use_cache: bool = True
    view: LogView = field(default_factory=NullView)
    grace: float = 5.0
    cancel: threading.Event = field(default_factory=threading.Event)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
