"""Files changed since a base ref, for ``changes('glob')``: committed since the merge base, staged,
unstaged and untracked (not ignored) files, as paths relative to the repository's top.

Without a base ref (``git.base_ref`` empty) the base is found as CI systems do: the merge base with
the first of ``origin/HEAD``, ``origin/main``, ``origin/master``, ``main``, ``master`` that differs
from HEAD (a feature branch is compared with where it forked); on that branch itself, the previous
commit (``HEAD~1``); in a repository with one commit, the empty tree (every file is new).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
DEFAULT_BRANCHES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")


class GitError(Exception):
    """git is missing or failed; the message says which command and why."""


def _git(workspace: Path, *args: str, check: bool = True) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=workspace,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "LC_ALL": "C"},
        )
    except FileNotFoundError as exc:
        raise GitError("git is not installed") from exc
    if done.returncode != 0:
        if not check:
            return None
        detail = " ".join(done.stderr.strip().splitlines()[:1])
        raise GitError(f"git {' '.join(args[:2])} failed: {detail}")
    return done.stdout


def default_base_ref(workspace: Path) -> str:
    head = (_git(workspace, "rev-parse", "HEAD", check=False) or "").strip()
    if not head:
        raise GitError(f"{workspace} is not a git repository with a commit")
    for branch in DEFAULT_BRANCHES:
        base = (_git(workspace, "merge-base", "HEAD", branch, check=False) or "").strip()
        if base and base != head:
            return base
    previous = (_git(workspace, "rev-parse", "--verify", "-q", "HEAD~1", check=False) or "").strip()
    return previous or EMPTY_TREE


def changed_files(workspace: Path, base_ref: str = "") -> list[str]:
    base = base_ref or default_base_ref(workspace)
    diff = _git(workspace, "diff", "--name-only", "--no-renames", base, "--") or ""
    untracked = _git(workspace, "ls-files", "--others", "--exclude-standard", "--full-name") or ""
    return sorted({line for line in (*diff.splitlines(), *untracked.splitlines()) if line})
