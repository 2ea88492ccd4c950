"""Which files a secrets scan reads: a walk that honours ``.gitignore`` files (with pathspec, git's
own wildmatch semantics), never enters ``.git``, does not follow symlinks, and sorts out binary and
oversized files (skipped, and counted)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from changcheng.errors import ScanPathError

#: git's heuristic: a NUL byte in the first 8000 bytes means binary
BINARY_SNIFF = 8000


@dataclass(frozen=True)
class FileRef:
    path: Path
    #: relative to the scan root, POSIX separators (what reports show)
    rel: str
    size: int


@dataclass
class WalkStats:
    files: int = 0
    ignored: int = 0
    skipped_large: int = 0
    skipped_unreadable: int = 0


def _load_ignore(directory: Path) -> object | None:
    gitignore = directory / ".gitignore"
    if not gitignore.is_file():
        return None
    import pathspec

    try:
        lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _ignored(specs: list[tuple[str, object]], rel: str, is_dir: bool) -> bool:
    target = rel + "/" if is_dir else rel
    for base, spec in specs:
        if base and not target.startswith(base + "/"):
            continue
        if spec.match_file(target[len(base) + 1 :] if base else target):  # type: ignore[attr-defined]
            return True
    return False


def walk(root: Path, *, gitignore: bool, max_size: int, stats: WalkStats) -> Iterator[FileRef]:
    """Files under ``root`` to scan (``root`` itself when it is a file), sorted by path."""
    if not root.exists():
        raise ScanPathError(f"{root}: no such file or directory; give a path that exists")
    if root.is_file():
        yield from _check(root, root.name, max_size, stats)
        return
    specs: list[tuple[str, object]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        directory = Path(dirpath)
        rel_dir = directory.relative_to(root).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir
        if gitignore:
            # only the .gitignore files of this directory's ancestors apply
            specs = [(b, s) for b, s in specs if not b or rel_dir == b or rel_dir.startswith(b + "/")]
            spec = _load_ignore(directory)
            if spec is not None:
                specs.append((rel_dir, spec))
        kept = []
        for name in sorted(dirnames):
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if name == ".git" or (directory / name).is_symlink():
                continue
            if gitignore and _ignored(specs, rel, is_dir=True):
                stats.ignored += 1
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            rel = f"{rel_dir}/{name}" if rel_dir else name
            path = directory / name
            if path.is_symlink():
                continue
            if gitignore and _ignored(specs, rel, is_dir=False):
                stats.ignored += 1
                continue
            yield from _check(path, rel, max_size, stats)


def _check(path: Path, rel: str, max_size: int, stats: WalkStats) -> Iterator[FileRef]:
    try:
        size = path.stat().st_size
    except OSError:
        stats.skipped_unreadable += 1
        return
    if size > max_size:
        stats.skipped_large += 1
        return
    stats.files += 1
    yield FileRef(path, rel, size)


def is_binary(head: bytes) -> bool:
    return b"\0" in head[:BINARY_SNIFF]
