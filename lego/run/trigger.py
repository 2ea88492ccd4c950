"""What started a run: the git commit, branch and author of the workspace (empty outside git)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from lego.model import GitInfo


def git_info(workspace: Path) -> GitInfo:
    try:
        done = subprocess.run(
            ["git", "-C", str(workspace), "log", "-1", "--format=%H%n%an"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        branch = subprocess.run(
            ["git", "-C", str(workspace), "rev-parse", "--abbrev-ref", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return GitInfo()
    if done.returncode != 0:
        return GitInfo()
    sha, _, author = done.stdout.strip().partition("\n")
    return GitInfo(branch=branch.stdout.strip() if branch.returncode == 0 else "", sha=sha, author=author)
