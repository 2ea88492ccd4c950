"""The per-package index of one source, built once and cached under the hucheng home.

The cache is a pickle keyed by the source's resolved path; it is reused while the source's signature
(size and mtime of every record file, or of the zip) is unchanged, and rebuilt otherwise. It is our own
file in the user's own data directory, written atomically, so unpickling it is safe; a cache that
cannot be read (another version, a torn file) is rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from changcheng.advisories.loader import load_source
from changcheng.advisories.model import Advisory
from changcheng.advisories.names import ecosystem_key, normalize_name
from changcheng.advisories.source import check_source, signature
from changcheng.errors import AdvisoryDatabaseError
from hucheng.progress import ProgressCallback, no_progress

log = logging.getLogger(__name__)

#: bump when what the index means changes; a change of the model's fields is caught by format_key()
INDEX_FORMAT = 2


def format_key() -> str:
    """INDEX_FORMAT plus the field names of every pickled class, so that a cache written by another
    version of the model is rebuilt rather than unpickled into objects missing attributes."""
    from dataclasses import fields

    from changcheng.advisories import model

    classes = (model.Advisory, model.Affected, model.Range, model.Event, model.SeverityScore, SourceIndex)
    names = ";".join(f"{c.__name__}:{','.join(f.name for f in fields(c))}" for c in classes)
    return f"{INDEX_FORMAT}/{hashlib.sha256(names.encode()).hexdigest()[:12]}"


@dataclass(frozen=True)
class SourceIndex:
    source: str
    signature: str
    built_at: str
    files: int
    invalid: int
    problems: tuple[str, ...]
    withdrawn: int
    #: records per ecosystem, withdrawn ones left out
    counts: Mapping[str, int]
    #: the newest ``modified`` date among the records (ISO 8601), "" when none carries one
    newest_modified: str
    #: (ecosystem key, normalised name) -> advisories affecting that package (withdrawn left out)
    by_package: Mapping[tuple[str, str], tuple[Advisory, ...]]
    #: format_key() of the code that built it
    format: str = ""


def cache_path(source: Path, cache_dir: Path) -> Path:
    digest = hashlib.sha256(str(source).encode()).hexdigest()[:16]
    return cache_dir / f"{digest}.pickle"


def load_index(
    source: Path, cache_dir: Path, *, rebuild: bool = False, on_progress: ProgressCallback = no_progress
) -> tuple[SourceIndex, bool]:
    """The index of ``source`` and whether it came from the cache."""
    source = check_source(source)
    sig = signature(source)
    path = cache_path(source, cache_dir)
    if not rebuild:
        cached = _read_cache(path)
        if cached is not None and cached.signature == sig and cached.source == str(source):
            return cached, True
    index = build_index(source, sig, on_progress=on_progress)
    _write_cache(path, index)
    return index, False


def build_index(source: Path, sig: str, *, on_progress: ProgressCallback = no_progress) -> SourceIndex:
    result = load_source(source, on_progress=on_progress)
    if not result.advisories:
        what = (
            f"none of its {result.files} record files is a valid OSV record ({result.problems[0]})"
            if result.files
            else "it holds no .json/.yaml OSV records"
        )
        raise AdvisoryDatabaseError(
            f"advisory database {source} is empty: {what}; point --db at a directory of OSV records or "
            "an OSV all.zip"
        )
    by_package: defaultdict[tuple[str, str], list[Advisory]] = defaultdict(list)
    counts: Counter[str] = Counter()
    withdrawn = 0
    newest = ""
    for adv in result.advisories:
        newest = max(newest, adv.modified)
        if adv.withdrawn:
            withdrawn += 1
            continue
        keys = {(ecosystem_key(a.ecosystem), normalize_name(a.ecosystem, a.name)) for a in adv.affected}
        for key in keys:
            by_package[key].append(adv)
        for eco in {a.ecosystem for a in adv.affected}:
            counts[eco] += 1
    return SourceIndex(
        source=str(source),
        signature=sig,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        files=result.files,
        invalid=result.invalid,
        problems=result.problems,
        withdrawn=withdrawn,
        counts=dict(counts),
        newest_modified=newest,
        by_package={k: tuple(v) for k, v in by_package.items()},
        format=format_key(),
    )


def _read_cache(path: Path) -> SourceIndex | None:
    try:
        with path.open("rb") as fh:
            value = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as exc:  # any unreadable cache is rebuilt, whatever broke it
        log.info("advisory index cache %s unreadable (%s); rebuilding", path, exc)
        return None
    if not isinstance(value, SourceIndex) or getattr(value, "format", None) != format_key():
        return None
    return value


def _write_cache(path: Path, index: SourceIndex) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:  # a read-only home still scans; it only loses the warm start
        log.warning("cannot write advisory index cache %s: %s", path, exc)
