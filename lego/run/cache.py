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

import orjson

from lego.errors import LegoError
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
    from lego.pipecache import derived
    from lego.run.serial import job_json

    known = derived(pipeline)
    if known is not None and pipeline.jobs.get(job.id) is job and job.id in known.digests:
        return known.digests[job.id]  # computed once with the cached pipeline (lego.pipecache)
    return digest_of_job_json(job_json(job), job, pipeline)


def digest_of_job_json(data: Mapping[str, Any], job: Job, pipeline: Pipeline) -> str:
    """:func:`definition_digest` from the job's ``job_json`` (not changed): canonical JSON (sorted
    keys, no whitespace, UTF-8; orjson writes the same bytes as ``json.dumps`` with those options)."""
    plain = {k: v for k, v in data.items() if k != "pos"}
    # positions are not what a job is (moving it in the file keeps its cache); lego.spec.digest
    # writes a position held in a field other than ``pos`` as null
    plain["steps"] = [
        {k: (None if k == "uses_pos" and v is not None else v) for k, v in step.items() if k != "pos"}
        for step in data["steps"]
    ]
    bricks = sorted({s.brick for s in job.steps if s.brick})
    payload = {"job": plain, "env": dict(pipeline.env), "bricks": bricks, "format": 1}
    return hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()


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
    """The cache directory's entries: one line each in ``entries.jsonl``, and ``artifacts/<k>/``.

    Entries are appended to one index file (one ``write`` of a whole line on an ``O_APPEND`` descriptor,
    so concurrent runs do not interleave) instead of one file per key: creating a file is the dearest
    thing a trivial job does on ext4 (2,000 jobs created 2,000 files and 256 directories). The index is
    read once, and its new tail again when a key is not found (another run may have added it). A line
    cut short by a crash does not parse and is skipped: that entry is a miss, never a wrong hit; each
    line starts and ends with a newline so a cut line cannot spoil the one appended after it. The
    newest line for a key wins, as overwriting a key's file did before.
    """

    INDEX = "entries.jsonl"

    def __init__(self, root: Path) -> None:
        self.root = root
        self.index = root / self.INDEX
        self._lock = threading.Lock()
        self._entries: dict[str, CacheEntry] = {}
        self._offset = 0  # bytes of the index read so far (whole lines only)

    def _refresh(self) -> None:
        """Read what was appended to the index since the last read (caller holds the lock)."""
        try:
            if os.stat(self.index).st_size <= self._offset:
                return  # nothing new: one stat, no open
            with open(self.index, "rb") as fh:
                fh.seek(self._offset)
                data = fh.read()
        except OSError:
            return
        end = data.rfind(b"\n") + 1  # a line still being written is read next time
        self._offset += end
        for line in data[:end].splitlines():
            if not line:
                continue
            try:
                d = orjson.loads(line)
                entry = CacheEntry(
                    key=str(d["key"]),
                    job=str(d["job"]),
                    run_id=str(d["run_id"]),
                    outputs=dict(d["outputs"]),
                    artifacts=tuple(d["artifacts"]),
                )
            except (ValueError, KeyError, TypeError):
                continue  # cut short by a crash: a miss
            self._entries[entry.key] = entry

    def lookup(self, key: str) -> CacheEntry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self._refresh()
                entry = self._entries.get(key)
        if entry is None:
            return None
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
        data = {
            "key": entry.key,
            "job": entry.job,
            "run_id": entry.run_id,
            "outputs": dict(entry.outputs),
            "artifacts": list(entry.artifacts),
        }
        line = b"\n" + orjson.dumps(data) + b"\n"
        try:
            fd = os.open(self.index, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except FileNotFoundError:
            self.root.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.index, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as exc:
            raise LegoError(f"cannot write the cache index {self.index}: {exc.strerror}") from exc
        try:
            with self._lock:
                view = memoryview(line)
                while view:  # one write for any line a job produces; a loop for a huge one
                    view = view[os.write(fd, view) :]
                self._entries[entry.key] = entry
                if os.fstat(fd).st_size == self._offset + len(line):
                    self._offset += len(line)  # only our line is new: no need to read it back
        except OSError as exc:
            raise LegoError(f"cannot write the cache index {self.index}: {exc.strerror}") from exc
        finally:
            os.close(fd)

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
    cache: ContentCache | None = None,
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
    entry = (cache or ContentCache(root)).lookup(key)
    if entry is None:
        return CacheDecision(False, key, "no earlier successful run with this key")
    return CacheDecision(True, key, f"cache hit from run {entry.run_id}")


def plan_cache(pipeline: Pipeline, *, home: Path, environ: Mapping[str, str]) -> dict[str, CacheDecision]:
    """:func:`would_skip` for every job, in dependency order."""
    from lego.run.layout import cache_dir

    manifest = Manifest(cache_dir(home) / "manifest.json")
    cache = ContentCache(cache_dir(home))  # one index read for the whole pipeline
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
            job, pipeline, home=home, environ=environ, upstream=upstream, manifest=manifest, cache=cache
        )
        return decisions[jid]

    for jid in pipeline.jobs:
        decide(jid, frozenset())
    return decisions
