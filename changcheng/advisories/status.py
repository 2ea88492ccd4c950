"""``db status``: each source, its records per ecosystem, its age, and whether it is stale."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from changcheng.advisories.database import AdvisoryDatabase, open_database
from changcheng.advisories.index import SourceIndex
from changcheng.advisories.location import InstalledSource, installed_sources


@dataclass(frozen=True)
class SourceStatus:
    path: str
    origin: str
    #: when `db update` installed it ("" for a --db or configured path)
    updated_at: str
    newest_modified: str
    age_days: float | None
    stale: bool
    records: dict[str, int]
    withdrawn: int
    invalid: int
    files: int


@dataclass(frozen=True)
class DatabaseStatus:
    sources: tuple[SourceStatus, ...]
    max_age_days: int
    warnings: tuple[str, ...]


def database_status(
    sources: Sequence[Path], home: Path, cache_dir: Path, *, max_age_days: int, now: datetime | None = None
) -> DatabaseStatus:
    now = now or datetime.now(UTC)
    db = open_database(sources, cache_dir)
    installed = _installed(home)
    out: list[SourceStatus] = []
    warnings: list[str] = list(stale_warnings(db, home, max_age_days, now))
    for index in db.indexes:
        inst = installed.get(Path(index.source))
        age = source_age(index, inst, now)
        stale = age is not None and age > max_age_days
        if index.invalid:
            warnings.append(
                f"{index.invalid} record(s) in {index.source} violate the OSV schema and were skipped"
                + (f" (first: {index.problems[0]})" if index.problems else "")
            )
        out.append(
            SourceStatus(
                path=index.source,
                origin=inst.origin if inst else index.source,
                updated_at=inst.updated_at if inst else "",
                newest_modified=index.newest_modified,
                age_days=None if age is None else round(age, 1),
                stale=stale,
                records=dict(sorted(index.counts.items())),
                withdrawn=index.withdrawn,
                invalid=index.invalid,
                files=index.files,
            )
        )
    return DatabaseStatus(tuple(out), max_age_days, tuple(warnings))


def _age_days(stamp: str, now: datetime) -> float | None:
    if not stamp:
        return None
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (now - when).total_seconds() / 86400


def _installed(home: Path) -> dict[Path, InstalledSource]:
    return {s.path.resolve(): s for s in installed_sources(home)}


def source_age(index: SourceIndex, installed: InstalledSource | None, now: datetime) -> float | None:
    """Days since the newest record was modified: the data's own clock, so a mirror that was fetched
    today but stopped updating months ago shows its real age. Records without ``modified`` fall back
    to when ``db update`` fetched the source."""
    return _age_days(index.newest_modified or (installed.updated_at if installed else ""), now)


def stale_warnings(db: AdvisoryDatabase, home: Path, max_age_days: int, now: datetime) -> tuple[str, ...]:
    installed = _installed(home)
    out = []
    for index in db.indexes:
        inst = installed.get(Path(index.source))
        age = source_age(index, inst, now)
        if age is not None and age > max_age_days:
            name = inst.origin if inst else index.source
            out.append(
                f"advisory database {name} is {age:.0f} days old (more than {max_age_days}); "
                "run `hucheng changcheng db update --from URL|PATH`"
            )
    return tuple(out)
