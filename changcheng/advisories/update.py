"""``db update --from URL|PATH``: copy or fetch advisory sources into the home, index them, and only
then make them current, so a failed update leaves the previous database in place."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from changcheng.advisories.index import SourceIndex, cache_path, load_index
from changcheng.advisories.location import (
    advisories_dir,
    index_dir,
    installed_sources,
    manifest_path,
)
from changcheng.errors import AdvisoryDatabaseError
from hucheng.progress import ProgressCallback, no_progress


@dataclass(frozen=True)
class UpdatedSource:
    origin: str
    path: Path
    index: SourceIndex


def is_url(origin: str) -> bool:
    return origin.startswith(("http://", "https://"))


def update_database(
    origins: Sequence[str],
    home: Path,
    *,
    timeout: float = 60.0,
    on_progress: ProgressCallback = no_progress,
) -> tuple[UpdatedSource, ...]:
    root = advisories_dir(home)
    root.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    staged: list[Path] = []
    done: list[UpdatedSource] = []
    try:
        for n, origin in enumerate(origins):
            target = root / f"{stamp}-{n}-{_slug(origin)}"
            staged.append(target)
            if is_url(origin):
                _fetch(origin, target, timeout)
            else:
                _copy(Path(origin).expanduser(), target)
            index, _ = load_index(target, index_dir(home), on_progress=on_progress)
            done.append(UpdatedSource(origin, target, index))
    except BaseException:
        for path in staged:
            _remove(path)
        raise
    old = installed_sources(home)
    _write_manifest(home, done)
    for source in old:
        if source.path not in {d.path for d in done}:
            _remove(cache_path(source.path.resolve(), index_dir(home)))
            _remove(source.path)
    return tuple(done)


def _fetch(url: str, dest: Path, timeout: float) -> None:
    import requests

    try:
        with requests.get(url, stream=True, timeout=timeout) as resp:
            resp.raise_for_status()
            with dest.open("wb") as fh:
                for chunk in resp.iter_content(chunk_size=1 << 16):
                    fh.write(chunk)
    except requests.RequestException as exc:
        from hucheng.httperrors import describe_request_error

        raise AdvisoryDatabaseError(
            f"cannot fetch advisory database {url}: {describe_request_error(exc)}; the installed "
            "database is unchanged"
        ) from exc
    if not zipfile.is_zipfile(dest):
        raise AdvisoryDatabaseError(
            f"{url} did not return a zip file; serve a zip of OSV records (like OSV's all.zip)"
        )


def _copy(src: Path, dest: Path) -> None:
    if not src.exists():
        raise AdvisoryDatabaseError(f"advisory source {src} does not exist")
    if src.is_file() and not zipfile.is_zipfile(src):
        raise AdvisoryDatabaseError(
            f"{src} is not a zip file nor a directory; give a directory of OSV records or a zip"
        )
    try:
        if src.is_dir():
            shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".*"))
        else:
            shutil.copy2(src, dest)
    except OSError as exc:
        raise AdvisoryDatabaseError(f"cannot copy {src} to {dest}: {exc}") from exc


def _write_manifest(home: Path, sources: Sequence[UpdatedSource]) -> None:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    body = {"sources": [{"origin": s.origin, "path": s.path.name, "updated_at": now} for s in sources]}
    path = manifest_path(home)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


def _slug(origin: str) -> str:
    name = origin.rstrip("/").rsplit("/", 1)[-1] or "source"
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:60]


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists():
        path.unlink()
