"""The secrets scan of git history: every line every commit added, read from ``git log -p`` as a
stream (memory stays flat on any history), each commit's added lines in a file scanned as one piece.

A shallow clone is scanned as far as it goes, with a warning; a directory that is not a repository,
or history git cannot read (missing or corrupt objects), is a :class:`GitHistoryError` naming it.
"""

from __future__ import annotations

import codecs
import re
import subprocess
import sys
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from changcheng.errors import GitHistoryError
from changcheng.secrets.detect import Detector, Match
from changcheng.secrets.to_findings import Commit

#: gitleaks' own invocation, with a header line we can split on (RS, then US between fields)
LOG_ARGS = [
    *("log", "-p", "-U0", "--full-history", "--no-color", "--no-ext-diff", "--no-renames"),
    "--format=%x1e%H%x1f%an <%ae>%x1f%aI",
]
#: what is scanned without a range: every ref (branches, tags, remotes), as gitleaks does
ALL_REFS = "--all"
_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")


@dataclass
class HistoryStats:
    commits: int = 0
    files: int = 0
    added_lines: int = 0
    bytes: int = 0
    skipped_binary: int = 0
    skipped_allowlisted: int = 0


@dataclass
class _Patch:
    """The lines one commit added to one file; ``hunks`` maps them back to the new file's lines."""

    path: str
    lines: list[bytes] = field(default_factory=list)
    #: (index in ``lines`` of the hunk's first added line, that line's number in the new file)
    hunks: list[tuple[int, int]] = field(default_factory=list)

    def file_line(self, index: int) -> int:
        """The new file's line number of ``lines[index]``."""
        first, start = self.hunks[bisect_right(self.hunks, (index, sys.maxsize)) - 1]
        return start + index - first


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise GitHistoryError("git is not installed; install git to scan history (--history)") from exc


def check_repository(repo: Path) -> list[str]:
    """Raise unless ``repo`` is a git work tree with history; return warnings (shallow clone)."""
    if not repo.is_dir():
        raise GitHistoryError(f"{repo}: not a directory; --history needs a git repository")
    probe = _git(repo, "rev-parse", "--is-shallow-repository")
    if probe.returncode != 0:
        reason = _first_line(probe.stderr) or "git rev-parse failed"
        raise GitHistoryError(f"{repo}: not a git repository ({reason}); run in a clone, or drop --history")
    warnings = []
    if probe.stdout.strip() == b"true":
        warnings.append(
            f"{repo}: shallow clone; only the commits present were scanned "
            "(fetch the full history with `git fetch --unshallow`, or actions/checkout fetch-depth: 0)"
        )
    return warnings


def _first_line(data: bytes) -> str:
    lines = data.decode("utf-8", "replace").strip().splitlines()
    return lines[0] if lines else ""


def _unquote(path: bytes) -> str:
    """A path as git prints it: C-quoted when it holds unusual bytes."""
    if path.startswith(b'"') and path.endswith(b'"'):
        raw = codecs.escape_decode(path[1:-1])[0]
        return bytes(raw).decode("utf-8", "surrogateescape")
    return path.decode("utf-8", "surrogateescape")


def iter_patches(repo: Path, stats: HistoryStats, revisions: str = "") -> Iterator[tuple[Commit, _Patch]]:
    """(commit, patch) for every file every commit in ``revisions`` (a git revision range such as
    ``origin/main..HEAD``; default: all refs) changed, streamed from ``git log -p``."""
    if revisions.startswith("-"):
        raise GitHistoryError(f"{revisions!r} is not a revision range (e.g. origin/main..HEAD)")
    args = ["git", "-C", str(repo), "-c", "core.quotePath=false", *LOG_ARGS, revisions or ALL_REFS, "--"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    commit: Commit | None = None
    patch: _Patch | None = None
    in_header = False  # between "diff --git" and the first "@@": "+++ " is the path, not an added line
    try:
        for raw in proc.stdout:
            line = raw[:-1] if raw.endswith(b"\n") else raw
            first = line[:1]
            if patch is not None and not in_header:  # the hot path: inside a hunk
                if first == b"+":
                    patch.lines.append(line[1:])
                    continue
                if first in (b"-", b"\\", b" "):
                    continue
                if first == b"@" and (m := _HUNK.match(line)):
                    patch.hunks.append((len(patch.lines), int(m.group(1))))
                    continue
            if line.startswith(b"\x1e"):
                if commit and patch and patch.lines:
                    yield commit, patch
                sha, author, date = [*line[1:].decode("utf-8", "replace").split("\x1f"), "", ""][:3]
                commit, patch, in_header = Commit(sha, author, date), None, False
                stats.commits += 1
            elif line.startswith(b"diff --git "):
                if commit and patch and patch.lines:
                    yield commit, patch
                patch, in_header = None, True
            elif in_header and line.startswith(b"+++ "):
                target = line[4:]
                patch = None if target == b"/dev/null" else _Patch(_unquote(target)[2:])
                stats.files += patch is not None
            elif in_header and line.startswith(b"Binary files "):
                stats.skipped_binary += 1
            elif patch is not None and (m := _HUNK.match(line)):
                patch.hunks.append((len(patch.lines), int(m.group(1))))
                in_header = False
        if commit and patch and patch.lines:
            yield commit, patch
    finally:
        proc.stdout.close()
        stderr = proc.stderr.read()
        proc.stderr.close()
        code = proc.wait()
    if code != 0:
        message = _first_line(stderr)
        text = stderr.decode("utf-8", "replace")
        if "does not have any commits" in text:
            return
        if revisions and ("bad revision" in text or "unknown revision" in text):
            raise GitHistoryError(
                f"{repo}: {message}: --commits {revisions!r} names a commit, branch or tag this "
                "clone does not have (in a shallow CI clone, fetch the base first)"
            )
        raise GitHistoryError(f"{repo}: git log failed: {message}; the history may be corrupt (git fsck)")


def scan_history(
    repo: Path, detector: Detector, stats: HistoryStats, revisions: str = ""
) -> Iterator[tuple[str, Match, Commit]]:
    """Every match in every line the history added: (path, match with the file's line, commit)."""
    for commit, patch in iter_patches(repo, stats, revisions):
        if detector.path_allowed(patch.path):
            stats.skipped_allowlisted += 1
            continue
        text = b"\n".join(patch.lines)
        stats.added_lines += len(patch.lines)
        stats.bytes += len(text)
        for match in detector.detect(text, patch.path, commit.sha):
            line = None if match.line is None else patch.file_line(match.line - 1)
            yield patch.path, replace(match, line=line), commit
