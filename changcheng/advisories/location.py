"""Where the advisory database is: ``--db`` wins, then ``changcheng.deps.db`` in the config, then the
copies ``db update`` keeps in ``<home>/changcheng/advisories`` (listed in ``sources.json``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from changcheng.errors import AdvisoryDatabaseError


@dataclass(frozen=True)
class InstalledSource:
    """A source ``db update`` copied or fetched into the home."""

    origin: str  # the --from URL or path, as given
    path: Path  # the copy in the home
    updated_at: str  # ISO 8601, UTC


def advisories_dir(home: Path) -> Path:
    return home.expanduser() / "changcheng" / "advisories"


def index_dir(home: Path) -> Path:
    return home.expanduser() / "changcheng" / "index"


def manifest_path(home: Path) -> Path:
    return advisories_dir(home) / "sources.json"


def installed_sources(home: Path) -> tuple[InstalledSource, ...]:
    path = manifest_path(home)
    if not path.exists():
        return ()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return tuple(
            InstalledSource(str(s["origin"]), advisories_dir(home) / str(s["path"]), str(s["updated_at"]))
            for s in raw["sources"]
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AdvisoryDatabaseError(
            f"{path} is damaged ({exc}); run `hucheng changcheng db update --from URL|PATH` again"
        ) from exc


def resolve_sources(cli: Sequence[Path], configured: Sequence[Path], home: Path) -> tuple[Path, ...]:
    if cli:
        return tuple(cli)
    if configured:
        return tuple(p.expanduser() for p in configured)
    return tuple(s.path for s in installed_sources(home))
