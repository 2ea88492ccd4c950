"""Content-hash caching: a job whose key matches an earlier successful run is skipped.

A job is cacheable when it declares ``inputs:``. Its key is the sha256 of: the job's definition digest
(``lego.spec.digest``), every input file's path and content hash, the values of its ``cache_env``
variables, the versions of the bricks it uses, and for each job it needs, that job's key (or, for a
job that is not cacheable, its outputs). Input files are hashed only when their mtime or size differ
from the manifest of the last hash. The entry keeps the job's outputs and a copy of its artifacts,
both restored on a hit.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lego.model import Job, Pipeline
from lego.run.artifacts import copy_files, expand_globs, link_or_copy


class Manifest:
    """``abs path -> (mtime_ns, size, sha256)`` of files hashed before; thread-safe; saved atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._dirty = False
        try:
            self._entries: dict[str, list[Any]] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._entries = {}

    def file_hash(self, path: Path) -> str:
        st = path.stat()
        key = str(path)
        with self._lock:
            entry = self._entries.get(key)
        if entry and entry[0] == st.st_mtime_ns and entry[1] == st.st_size:
            return str(entry[2])
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        value = digest.hexdigest()
        with self._lock:
            self._entries[key] = [st.st_mtime_ns, st.st_size, value]
            self._dirty = True
        return value

    def save(self) -> None:
        with self._lock:
            if not self._dirty:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(self._entries), encoding="utf-8")
            tmp.replace(self.path)
            self._dirty = False


def definition_digest(job: Job, pipeline: Pipeline) -> str:
    """The same value as ``lego.spec.digest.job_definition_digest`` (a test holds them equal), built
    field by field instead of by reflection: a 2,000-job no-op run computes 2,000 of them."""
    from lego.run.serial import job_json

    data = job_json(job)
    del data["pos"]
    for step in data["steps"]:
        del step["pos"]
    bricks = sorted({s.brick for s in job.steps if s.brick})
    payload = {"job": data, "env": dict(pipeline.env), "bricks": bricks, "format": 1}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def job_workdir(job: Job, workspace: Path) -> Path:
    return workspace / job.working_directory if job.working_directory else workspace


def compute_key(
    job: Job,
    pipeline: Pipeline,
    *,
    workspace: Path,
    environ: Mapping[str, str],
    manifest: Manifest,
    upstream: Mapping[str, str],
) -> str | None:
    """The job's cache key, or None when it declares no ``inputs`` (not cacheable).

    ``upstream`` maps each needed job instance to its key (or its outputs as JSON)."""
    if not job.inputs:
        return None
    h = hashlib.sha256()
    h.update(b"lego-cache-v1\0" + definition_digest(job, pipeline).encode() + b"\0")
    base = job_workdir(job, workspace)
    for rel in expand_globs(job.inputs, base):
        h.update(f"f\0{rel}\0{manifest.file_hash(base / rel)}\0".encode())
    for name in sorted(job.cache_env):
        h.update(f"e\0{name}\0{environ.get(name, '')}\0".encode())
    used = sorted({s.brick for s in job.steps if s.brick})
    for brick in used:
        name = brick.split("@", 1)[0]
        h.update(f"b\0{brick}\0{pipeline.bricks.get(name, '')}\0".encode())
    for need in sorted(upstream):
        h.update(f"n\0{need}\0{upstream[need]}\0".encode())
    return h.hexdigest()


@dataclass(frozen=True)
class CacheEntry:
    key: str
    job: str
    run_id: str
    outputs: Mapping[str, str]
    artifacts: tuple[str, ...]


class ContentCache:
    """The cache directory's entries: ``keys/<k[:2]>/<k>.json`` and ``artifacts/<k>/``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._made: set[Path] = set()  # key directories known to exist (a mkdir per job adds up)

    def _entry_path(self, key: str) -> Path:
        return self.root / "keys" / key[:2] / f"{key}.json"

    def lookup(self, key: str) -> CacheEntry | None:
        try:
            data = json.loads(self._entry_path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        entry = CacheEntry(
            key=key,
            job=data["job"],
            run_id=data["run_id"],
            outputs=dict(data["outputs"]),
            artifacts=tuple(data["artifacts"]),
        )
        if entry.artifacts and not (self.root / "artifacts" / key).is_dir():
            return None  # its artifacts were removed: not a usable entry
        return entry

    def save(self, entry: CacheEntry, artifacts_dir: Path) -> None:
        if entry.artifacts:
            dest = self.root / "artifacts" / entry.key
            if not dest.exists():
                tmp = dest.with_name(f"{entry.key}.{os.getpid()}.{threading.get_ident()}.tmp")
                copy_files(entry.artifacts, artifacts_dir, tmp, copy=link_or_copy)
                try:
                    tmp.rename(dest)
                except OSError:
                    shutil.rmtree(tmp, ignore_errors=True)  # another run saved it first
        path = self._entry_path(entry.key)
        if path.parent not in self._made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(path.parent)
        data = {
            "job": entry.job,
            "run_id": entry.run_id,
            "outputs": dict(entry.outputs),
            "artifacts": list(entry.artifacts),
        }
        # written in place, no rename (a rename costs more than the job on some file systems): an entry
        # cut short by a crash does not parse, which lookup() treats as a miss
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    def restore_artifacts(self, entry: CacheEntry, dest: Path, workspace: Path) -> None:
        """Into the run's artifact dir, and into the workspace where a file is missing."""
        src = self.root / "artifacts" / entry.key
        copy_files(entry.artifacts, src, dest, copy=link_or_copy)
        missing = [rel for rel in entry.artifacts if not (workspace / rel).exists()]
        if missing:
            copy_files(missing, src, workspace, copy=shutil.copy2)


@dataclass(frozen=True)
class CacheDecision:
    skip: bool
    key: str | None
    reason: str


def would_skip(
    job: Job,
    pipeline: Pipeline,
    *,
    home: Path,
    environ: Mapping[str, str],
    upstream: Mapping[str, str | None],
    manifest: Manifest | None = None,
) -> CacheDecision:
    """Whether ``lego run`` would skip ``job`` by its cache, for ``lego plan``.

    ``upstream`` maps each needed job instance to its cache key (None when it is not cacheable; then
    the key depends on outputs only a run knows). :func:`plan_cache` fills it for a whole pipeline."""
    from lego.run.layout import cache_dir

    if not job.inputs:
        return CacheDecision(False, None, "not cacheable (no inputs:)")
    unknown = sorted(need for need, key in upstream.items() if key is None)
    if unknown:
        return CacheDecision(False, None, f"needs {', '.join(unknown)}, which is not cacheable")
    root = cache_dir(home)
    key = compute_key(
        job,
        pipeline,
        workspace=Path(pipeline.path).resolve().parent,
        environ=environ,
        manifest=manifest or Manifest(root / "manifest.json"),
        upstream={k: v for k, v in upstream.items() if v is not None},
    )
    assert key is not None
    entry = ContentCache(root).lookup(key)
    if entry is None:
        return CacheDecision(False, key, "no earlier successful run with this key")
    return CacheDecision(True, key, f"cache hit from run {entry.run_id}")


def plan_cache(pipeline: Pipeline, *, home: Path, environ: Mapping[str, str]) -> dict[str, CacheDecision]:
    """:func:`would_skip` for every job, in dependency order."""
    from lego.run.layout import cache_dir

    manifest = Manifest(cache_dir(home) / "manifest.json")
    instances: dict[str, list[str]] = {}
    for jid, job in pipeline.jobs.items():
        instances.setdefault(job.base, []).append(jid)
    decisions: dict[str, CacheDecision] = {}

    def decide(jid: str, seen: frozenset[str]) -> CacheDecision:
        if jid in decisions:
            return decisions[jid]
        job = pipeline.jobs[jid]
        upstream: dict[str, str | None] = {}
        for base in job.needs:
            for dep in instances.get(base, []):
                if dep not in seen:
                    upstream[dep] = decide(dep, seen | {jid}).key
        decisions[jid] = would_skip(
            job, pipeline, home=home, environ=environ, upstream=upstream, manifest=manifest
        )
        return decisions[jid]

    for jid in pipeline.jobs:
        decide(jid, frozenset())
    return decisions
