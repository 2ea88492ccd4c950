"""The files of an advisory source (a directory tree or a zip) and a signature of their state.

Both layouts in use are read as they are: the PyPA advisory database (``vulns/<pkg>/<ID>.yaml``) and
OSV's per-ecosystem ``all.zip`` (``<ID>.json`` at the top). Any ``.json``, ``.yaml`` or ``.yml`` file
is a candidate record; folders whose name starts with a dot (``.git``, ``.github``) are not read.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from changcheng.errors import AdvisoryDatabaseError

RECORD_SUFFIXES = (".json", ".yaml", ".yml")


@dataclass(frozen=True)
class RecordFile:
    #: path inside the source (POSIX), for messages
    name: str
    data: bytes


def check_source(path: Path) -> Path:
    """The resolved source path; AdvisoryDatabaseError when it does not exist or is not a zip."""
    if not path.exists():
        raise AdvisoryDatabaseError(
            f"advisory database {path} does not exist; pass --db DIR|ZIP or run "
            "`hucheng changcheng db update --from URL|PATH`"
        )
    if path.is_file() and not zipfile.is_zipfile(path):
        raise AdvisoryDatabaseError(
            f"{path} is not a zip file nor a directory; an advisory database is a directory of OSV "
            "records or a zip of them (OSV's all.zip)"
        )
    return path.resolve()


def signature(path: Path) -> str:
    """Changes whenever a record file is added, removed or rewritten (size and mtime of each)."""
    h = hashlib.sha256()
    if path.is_file():
        st = path.stat()
        h.update(f"zip\0{st.st_size}\0{st.st_mtime_ns}".encode())
        return h.hexdigest()
    for rel, st in sorted(_walk(path)):
        h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def iter_record_files(path: Path) -> Iterator[RecordFile]:
    if path.is_file():
        yield from _iter_zip(path)
        return
    for rel, _ in sorted(_walk(path)):
        yield RecordFile(rel, (path / rel).read_bytes())


def _walk(root: Path, prefix: str = "") -> Iterator[tuple[str, os.stat_result]]:
    with os.scandir(root) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(Path(entry.path), f"{prefix}{entry.name}/")
            elif entry.name.endswith(RECORD_SUFFIXES):
                yield prefix + entry.name, entry.stat()


def _iter_zip(path: Path) -> Iterator[RecordFile]:
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                parts = PurePosixPath(info.filename).parts
                if info.is_dir() or any(p.startswith(".") for p in parts[:-1]):
                    continue
                if info.filename.endswith(RECORD_SUFFIXES):
                    yield RecordFile(info.filename, zf.read(info))
    except (zipfile.BadZipFile, zlib.error, OSError) as exc:
        raise AdvisoryDatabaseError(f"cannot read advisory zip {path}: {exc}") from exc
