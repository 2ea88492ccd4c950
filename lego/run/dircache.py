"""``cache:`` entries: directories restored before a job's steps and saved after it succeeds.

Each entry's key is rendered (``${{ hashFiles('poetry.lock') }}``); its directories are kept under
``<home>/lego/cache/dirs/<sha256(key)>/<n>/`` with the key in ``key.txt``. An exact key is restored;
else the newest entry whose key starts with one of ``restore_keys``. A key that was hit exactly is not
saved again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from lego.model import Job
from lego.run import expr

if TYPE_CHECKING:
    from lego.run.context import RunContext
    from lego.spec.expressions import ExprContext


def _slot(root: Path, key: str) -> Path:
    return root / "dirs" / hashlib.sha256(key.encode()).hexdigest()


def _find(root: Path, key: str, prefixes: tuple[str, ...]) -> Path | None:
    exact = _slot(root, key)
    if (exact / "key.txt").is_file():
        return exact
    best: tuple[float, Path] | None = None
    dirs = root / "dirs"
    if not prefixes or not dirs.is_dir():
        return None
    for slot in dirs.iterdir():
        try:
            stored = (slot / "key.txt").read_text(encoding="utf-8")
        except OSError:
            continue
        if any(stored.startswith(p) for p in prefixes):
            mtime = (slot / "key.txt").stat().st_mtime
            if best is None or mtime > best[0]:
                best = (mtime, slot)
    return best[1] if best else None


def restore_dirs(
    job: Job, ctx: RunContext, ectx: ExprContext, note: Callable[[str], None]
) -> list[tuple[int, str]]:
    """Restore each entry; return (entry index, rendered key) of those not hit exactly (to save later)."""
    to_save: list[tuple[int, str]] = []
    root = ctx.cache.root
    for n, spec in enumerate(job.cache):
        key = expr.render(spec.key, ectx, str(job.pos))
        prefixes = tuple(expr.render(p, ectx, str(job.pos)) for p in spec.restore_keys)
        found = _find(root, key, prefixes) if ctx.use_cache else None
        if found is None:
            note(f"cache {key}: miss")
        else:
            for i, rel in enumerate(spec.paths):
                src = found / str(i)
                if src.is_dir():
                    shutil.copytree(src, ctx.workspace / rel, symlinks=True, dirs_exist_ok=True)
            note(f"cache {key}: restored" + ("" if found == _slot(root, key) else " (from a restore key)"))
        if found != _slot(root, key):
            to_save.append((n, key))
    return to_save


def save_dirs(job: Job, ctx: RunContext, keys: list[tuple[int, str]], note: Callable[[str], None]) -> None:
    root = ctx.cache.root
    for n, key in keys:
        slot = _slot(root, key)
        if slot.exists():
            continue
        tmp = slot.with_name(f"{slot.name}.{os.getpid()}.tmp")
        try:
            for i, rel in enumerate(job.cache[n].paths):
                src = ctx.workspace / rel
                if src.is_dir():
                    shutil.copytree(src, tmp / str(i), symlinks=True)
            tmp.mkdir(parents=True, exist_ok=True)
            (tmp / "key.txt").write_text(key, encoding="utf-8")
            tmp.rename(slot)
            note(f"cache {key}: saved")
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            note(f"cache {key}: not saved ({exc.strerror or exc})")
