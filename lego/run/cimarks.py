"""Lines around a job's block of output that a CI system's log viewer folds (GitHub Actions' groups,
GitLab CI's sections), chosen from the environment the run is in."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping


class BlockMarks:
    """Lines around a job's block that a CI log viewer folds; none by default."""

    def start(self, job: str) -> str:
        return ""

    def end(self, job: str) -> str:
        return ""


class GitHubMarks(BlockMarks):
    """``::group::JOB`` ... ``::endgroup::`` (GitHub Actions' workflow commands)."""

    def start(self, job: str) -> str:
        title = job.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::group::{title}\n"

    def end(self, job: str) -> str:
        return "::endgroup::\n"


class GitLabMarks(BlockMarks):
    """GitLab CI's collapsible sections: ``section_start``/``section_end`` lines named after the job."""

    def _name(self, job: str) -> str:
        return "lego_" + hashlib.sha256(job.encode()).hexdigest()[:12]  # letters, digits, _ only

    def start(self, job: str) -> str:
        return f"\x1b[0Ksection_start:{int(time.time())}:{self._name(job)}\r\x1b[0K{job}\n"

    def end(self, job: str) -> str:
        return f"\x1b[0Ksection_end:{int(time.time())}:{self._name(job)}\r\x1b[0K\n"


def ci_marks(environ: Mapping[str, str]) -> BlockMarks:
    """The folding lines of the CI system this runs in (GitHub Actions, GitLab CI), or none."""
    if environ.get("GITHUB_ACTIONS") == "true":
        return GitHubMarks()
    if environ.get("GITLAB_CI") == "true":
        return GitLabMarks()
    return BlockMarks()
