"""A built :class:`~lego.model.Pipeline` kept under ``<home>/lego/pipelines/``, keyed by what it was
built from, so a re-run does not parse, assemble and check an unchanged 2,000-job file again (~0.2-0.4 s)
nor import the spec machinery (YAML positions, lark, the pydantic schema).

One entry per pipeline location, found by a key over the working directory, the pipeline path as given
and the ``--bricks`` directories (a rebuild replaces it). It is used only when it was built by the same
entry format, hucheng version and text of lego's own spec modules, and every file the build read (the
pipeline, its includes, the bricks; :data:`READS` records them) still has the same content (SHA-256 of
its text, not its mtime: an edit within the same second with the same size still misses), and each
brick directory lists the same YAML files (a new brick earlier in the search order would change what
``uses:`` finds). Anything else is a miss, and so is an entry that cannot be read: the pipeline is built
again and the entry replaced. Only pipelines without problems are kept.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lego.model import Pipeline

FORMAT = 1

#: while set, every file ``lego.spec.yamldoc.load_doc`` reads is appended with the SHA-256 of the text it
#: parsed: the exact content a cached pipeline was built from
READS: ContextVar[list[tuple[str, str]] | None] = ContextVar("lego_yaml_reads", default=None)
_CODE = ("model.py", "pipecache.py", "spec", "run/cache.py", "run/serial.py")


@dataclass(frozen=True)
class _Derived:
    """What a run derives from a cached pipeline, computed once with it: its jobs as the JSON text
    ``serial.save_pipeline`` writes, and each job's ``cache.definition_digest``."""

    pipeline: Pipeline
    jobs_json: str
    digests: dict[str, str]


_DERIVED: list[_Derived] = []  # the one for the pipeline loaded last (a process loads one)


def derived(pipeline: Pipeline) -> _Derived | None:
    """The derived values when ``pipeline`` has the very jobs (same objects), env and bricks of the
    cached pipeline loaded last (``lego run`` only replaces its path), else None."""
    for d in _DERIVED:
        p = d.pipeline
        if pipeline.jobs is p.jobs and pipeline.env == p.env and pipeline.bricks == p.bricks:
            return d
    return None


def _derive(pipeline: Pipeline) -> _Derived:
    import orjson

    from lego.run.cache import digest_of_job_json
    from lego.run.serial import job_json

    data = {jid: job_json(job) for jid, job in pipeline.jobs.items()}
    digests = {jid: digest_of_job_json(data[jid], job, pipeline) for jid, job in pipeline.jobs.items()}
    return _Derived(pipeline, orjson.dumps(data).decode(), digests)


def _code_digest() -> str:
    """The text of the modules a pipeline's build depends on: a changed lego builds afresh."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for name in _CODE:
        target = root / name
        files = sorted(target.glob("*.py")) if target.is_dir() else [target]
        for file in files:
            h.update(f"{file.relative_to(root)}\0".encode())
            h.update(file.read_bytes())
    return h.hexdigest()


def _dir_listings(path: Path, brick_dirs: Sequence[Path]) -> list[tuple[str, list[str] | None]]:
    """Each directory ``uses:`` may search (given or default, present or not) and its YAML files."""
    from lego.bricks import default_dirs

    dirs = [*brick_dirs, *default_dirs(path)]
    out: list[tuple[str, list[str] | None]] = []
    for d in dict.fromkeys(dirs):
        try:
            names = sorted(n for n in os.listdir(d) if n.endswith((".yml", ".yaml")))
        except OSError:
            names = None
        out.append((str(d), names))
    return out


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _reads_match(reads: list[tuple[str, str]]) -> bool:
    for file, digest in reads:
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return False
        if text_digest(text) != digest:
            return False
    return True


def entry_path(home: Path, path: Path, brick_dirs: Sequence[Path] = ()) -> Path:
    from lego.run.layout import lego_home

    h = hashlib.sha256()
    for part in (os.getcwd(), str(path), *map(str, brick_dirs)):
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return lego_home(home) / "pipelines" / f"{h.hexdigest()}.pickle"


def _builder() -> list[str]:
    """What built an entry: the entry format, hucheng's version, lego's spec code."""
    from hucheng import __version__

    return [str(FORMAT), __version__, _code_digest()]


def _load_entry(file: Path, path: Path, brick_dirs: Sequence[Path]) -> _Derived | None:
    try:
        with open(file, "rb") as fh:
            entry: Any = pickle.load(fh)
        if not isinstance(entry, dict) or entry.get("builder") != _builder():
            return None
        known = entry["derived"]
        if not isinstance(known, _Derived) or not isinstance(known.pipeline, Pipeline):
            return None
        if entry["dirs"] != _dir_listings(path, brick_dirs) or not _reads_match(entry["reads"]):
            return None
        return known
    except Exception:  # a missing, cut or foreign entry is a miss, never an error
        return None


def _save_entry(file: Path, entry: dict[str, Any]) -> None:
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_name(f"{file.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(file)
    except OSError:
        pass  # the cache is an optimisation: an unwritable home only costs the next run a build


def load_pipeline_cached(path: Path, *, home: Path, brick_dirs: Sequence[Path] = ()) -> Pipeline:
    """:func:`lego.spec.load_pipeline`, from the cache when nothing it was built from changed."""
    file = entry_path(home, path, brick_dirs)
    cached = _load_entry(file, path, brick_dirs)
    if cached is not None:
        _DERIVED[:] = [cached]
        return cached.pipeline
    from lego.spec import load_pipeline

    dirs = _dir_listings(path, brick_dirs)  # before the build: a brick added meanwhile is then a miss
    reads: list[tuple[str, str]] = []
    token = READS.set(reads)
    try:
        pipeline = load_pipeline(path, brick_dirs=brick_dirs)
    finally:
        READS.reset(token)
    known = _derive(pipeline)
    _DERIVED[:] = [known]
    _save_entry(file, {"builder": _builder(), "derived": known, "dirs": dirs, "reads": reads})
    return pipeline
