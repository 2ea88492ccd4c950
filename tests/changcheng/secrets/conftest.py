"""Fixtures for the secrets tests: real git repositories built in tmp_path."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Dev",
    "GIT_AUTHOR_EMAIL": "dev@example.com",
    "GIT_COMMITTER_NAME": "Dev",
    "GIT_COMMITTER_EMAIL": "dev@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str, date: str = "2024-05-01T10:00:00+00:00") -> str:
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    done = subprocess.run(
        ["git", "-C", str(repo), *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[[list[dict[str, str | None]]], Path]:
    """``make_repo([{path: content or None (delete)}, ...])``: one commit per dict, on day N of May."""

    def make(commits: list[dict[str, str | None]]) -> Path:
        repo = tmp_path / "repo"
        repo.mkdir()
        git(repo, "init", "-q", "-b", "main")
        for day, files in enumerate(commits, 1):
            for rel, content in files.items():
                path = repo / rel
                if content is None:
                    path.unlink()
                    continue
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(content, encoding="utf-8")
            git(repo, "add", "-A")
            git(repo, "commit", "-q", "-m", f"commit {day}", date=f"2024-05-{day:02d}T10:00:00+00:00")
        return repo

    return make
