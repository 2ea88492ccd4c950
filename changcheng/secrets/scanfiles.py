"""Scanning a list of files with a :class:`Detector`: in this process, or as a ``cpu`` work unit
(:func:`scan_chunk`) that a worker process runs through :mod:`hucheng.dispatch`."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from changcheng.secrets.detect import Detector, Match
from changcheng.secrets.engine import RegexEngine, resolve_engine
from changcheng.secrets.files import BINARY_SNIFF, is_binary
from changcheng.secrets.source import RuleSource
from hucheng.dispatch import WorkContext


@dataclass
class ChunkResult:
    matches: list[tuple[str, Match]] = field(default_factory=list)
    scanned: int = 0
    bytes: int = 0
    skipped_binary: int = 0
    skipped_unreadable: int = 0
    allowlisted_paths: int = 0

    def merge(self, other: ChunkResult) -> None:
        self.matches.extend(other.matches)
        for name in ("scanned", "bytes", "skipped_binary", "skipped_unreadable", "allowlisted_paths"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def to_json(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["matches"] = [[rel, dataclasses.asdict(m)] for rel, m in self.matches]
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChunkResult:
        counts = {k: v for k, v in data.items() if k != "matches"}
        return cls([(rel, Match(**m)) for rel, m in data["matches"]], **counts)


def new_detector(source: RuleSource) -> Detector:
    return Detector(source.load(), use_re2=resolve_engine(source.engine) is RegexEngine.RE2)


def scan_files(detector: Detector, root: Path, rels: Iterable[str]) -> ChunkResult:
    result = ChunkResult()
    for rel in rels:
        if detector.path_allowed(rel):
            result.allowlisted_paths += 1
            continue
        path = root / rel if rel else root
        try:
            content = path.read_bytes()
        except OSError:
            result.skipped_unreadable += 1
            continue
        if is_binary(content[:BINARY_SNIFF]):
            result.skipped_binary += 1
            continue
        result.scanned += 1
        result.bytes += len(content)
        result.matches.extend((rel, m) for m in detector.detect(content, rel))
    return result


def scan_chunk(ctx: WorkContext, *, root: str, rels: list[str], source: dict[str, Any]) -> dict[str, Any]:
    """The work unit: one worker scans ``rels`` under ``root`` with the rules ``source`` names."""
    detector = new_detector(RuleSource.from_args(source))
    return scan_files(detector, Path(root), rels).to_json()
