"""Read every record of a source: parse YAML or JSON, validate, and count what had to be skipped."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from changcheng.advisories.model import Advisory
from changcheng.advisories.parse import InvalidRecord, parse_advisory
from changcheng.advisories.source import iter_record_files
from hucheng.progress import ProgressCallback, ProgressEvent, no_progress

log = logging.getLogger(__name__)

#: how many skipped records are kept with their reason (all are counted)
KEPT_PROBLEMS = 20


@dataclass(frozen=True)
class LoadResult:
    advisories: tuple[Advisory, ...]
    files: int
    #: records that violate the schema, or files that are not YAML/JSON: skipped, counted
    invalid: int
    #: the first few problems, as "file: reason"
    problems: tuple[str, ...] = field(default=())


def load_source(path: Path, on_progress: ProgressCallback = no_progress) -> LoadResult:
    advisories: list[Advisory] = []
    problems: list[str] = []
    files = invalid = 0
    for record in iter_record_files(path):
        files += 1
        try:
            raw = _decode(record.name, record.data)
            advisories.append(parse_advisory(raw, origin=record.name))
        except InvalidRecord as exc:
            invalid += 1
            if len(problems) < KEPT_PROBLEMS:
                problems.append(f"{record.name}: {exc}")
            log.debug("skipped advisory record %s: %s", record.name, exc)
        if files % 500 == 0:
            on_progress(ProgressEvent("advisories", files, None, f"read {files} records"))
    return LoadResult(tuple(advisories), files, invalid, tuple(problems))


def _decode(name: str, data: bytes) -> object:
    """JSON, or YAML with every scalar kept as a string (``1.10`` must stay a version, not 1.1)."""
    try:
        if name.endswith(".json"):
            return json.loads(data)
        return yaml.load(data, Loader=_yaml_loader())
    except (ValueError, yaml.YAMLError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InvalidRecord(f"not valid {'JSON' if name.endswith('.json') else 'YAML'}: {reason}") from exc


def _yaml_loader() -> type[yaml.BaseLoader]:
    loader: type[yaml.BaseLoader] = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    return loader
