"""Artifacts: a job's declared globs copied into the run directory, for dependent jobs and for later.

A failed copy (disk full, permissions) removes what it had copied, so the space is given back and the
run's journal and logs can still be written, and raises :class:`ArtifactError` naming the file; the job
fails with that message and nothing else is lost.
"""

from __future__ import annotations

import errno
import glob
import os
import shutil
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from lego.errors import ArtifactError

CopyFn = Callable[[Path, Path], object]


def expand_globs(patterns: Iterable[str], base: Path, unmatched: list[str] | None = None) -> list[str]:
    """Relative paths of the files (not directories) under ``base`` matched by ``patterns``, sorted;
    a pattern that names a directory takes everything below it. The patterns that matched no file are
    appended to ``unmatched`` when it is given."""
    found: set[str] = set()
    for pattern in patterns:
        before = len(found)
        _expand(pattern, base, found)
        if unmatched is not None and len(found) == before and not _expand(pattern, base, set()):
            unmatched.append(pattern)  # (checked again on its own: an earlier pattern may have its files)
    return sorted(p for p in found if not p.startswith(".."))


def _expand(pattern: str, base: Path, found: set[str]) -> set[str]:
    if pattern and not glob.has_magic(pattern):  # a plain path (the common case): one stat, no glob
        try:
            mode = os.stat(os.path.join(base, pattern)).st_mode
        except (OSError, ValueError):
            return found
        if stat.S_ISREG(mode):
            found.add(os.path.normpath(pattern))
            return found
        if not stat.S_ISDIR(mode):
            return found
    for rel in glob.glob(pattern, root_dir=base, recursive=True):
        path = base / rel
        if path.is_dir():
            for sub in glob.glob("**/*", root_dir=path, recursive=True):
                if (path / sub).is_file():
                    found.add(os.path.normpath(os.path.join(rel, sub)))
        elif path.is_file():
            found.add(os.path.normpath(rel))
    return found


def link_or_copy(src: Path, dst: Path) -> None:
    """A hard link when source and destination share a file system (cheap), else a copy."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def copy_files(
    rels: Iterable[str], src_root: Path, dst_root: Path, *, copy: CopyFn = shutil.copy2
) -> list[str]:
    """Copy ``rels`` from ``src_root`` to ``dst_root``; on failure remove the partial copy and raise."""
    copied: list[str] = []
    rel = "?"
    try:
        for rel in rels:
            dst = dst_root / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            copied.append(rel)
            copy(src_root / rel, dst)
    except OSError as exc:
        for done in copied:  # only what this call wrote: dst_root may be a workspace
            (dst_root / done).unlink(missing_ok=True)
        reason = "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise ArtifactError(
            f"cannot copy artifact {rel!r} from {src_root} to {dst_root}: {reason}; "
            "free space or shrink the job's artifacts:"
        ) from exc
    return copied


def collect_artifacts(
    patterns: Iterable[str],
    base: Path,
    dest: Path,
    *,
    copy: CopyFn = shutil.copy2,
    unmatched: list[str] | None = None,
) -> list[str]:
    """Copy the files matched by ``patterns`` under ``base`` into ``dest``; their relative paths."""
    return copy_files(expand_globs(patterns, base, unmatched), base, dest, copy=copy)
