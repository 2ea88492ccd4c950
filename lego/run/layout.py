"""Where a run keeps its files under the hucheng home::

<home>/lego/runs/<run-id>/pipeline.json        the pipeline exactly as it ran (resume, retry)
                          journal.jsonl        run and job events, appended as they happen
                          logs/<job>.log       every output line, with its UTC timestamp
                          artifacts/<job>/...  the job's declared artifacts ($LEGO_ARTIFACTS)
                          work/<job>.<step>.<attempt>.output, .env: $LEGO_OUTPUT, $LEGO_ENV
                          layout               "2": <job> is lego.run.state.job_slug (one per job)
<home>/lego/cache/entries.jsonl                 content-hash cache entries, one line each
                  artifacts/<k>/...            artifacts saved with an entry
                  dirs/<sha>/...               `cache:` directories
                  manifest.json                mtime+size -> sha256 of input files
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lego.run.state import job_slug, legacy_job_slug


@dataclass(frozen=True)
class RunDir:
    root: Path

    #: a file a run's directory gets when it is created: its jobs' files are named by ``job_slug``;
    #: a run written before has none, and keeps the names it was written with (logs, resume, retry)
    LAYOUT = "layout"

    @cached_property
    def slug(self) -> Callable[[str], str]:
        """How this run names a job's files."""
        if (self.root / self.LAYOUT).exists() or not (self.root / "logs").exists():
            return job_slug
        return legacy_job_slug

    @property
    def pipeline_file(self) -> Path:
        return self.root / "pipeline.json"

    @property
    def journal(self) -> Path:
        return self.root / "journal.jsonl"

    @cached_property
    def artifacts(self) -> Path:
        return self.root / "artifacts"

    @cached_property
    def logs(self) -> str:
        """The logs directory as text: a 2,000-job run asks for a job's log path thousands of times."""
        return f"{self.root}/logs"

    def log_path(self, job_id: str) -> str:
        return f"{self.logs}/{self.slug(job_id)}.log"

    def log_file(self, job_id: str) -> Path:
        return Path(self.log_path(job_id))

    def job_artifacts(self, job_id: str) -> Path:
        return self.artifacts / self.slug(job_id)

    def work_file(self, name: str) -> Path:
        return self.root / "work" / name

    def create(self) -> None:
        new = self.slug is job_slug  # decided before logs/ exists (an older run keeps its names)
        for sub in ("logs", "artifacts", "work"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        if new:
            (self.root / self.LAYOUT).write_text("2\n", encoding="utf-8")


def lego_home(home: Path) -> Path:
    return home.expanduser() / "lego"


def run_dir(home: Path, run_id: str) -> RunDir:
    return RunDir(lego_home(home) / "runs" / run_id)


def concurrency_dir(home: Path) -> Path:
    return lego_home(home) / "concurrency"


def cache_dir(home: Path) -> Path:
    return lego_home(home) / "cache"
