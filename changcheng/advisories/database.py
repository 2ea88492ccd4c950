"""AdvisoryDatabase: lookups by package over the indexes of one or more sources."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from changcheng.advisories.index import SourceIndex, load_index
from changcheng.advisories.model import Advisory
from changcheng.advisories.names import ecosystem_key, normalize_name
from changcheng.errors import AdvisoryDatabaseError
from hucheng.progress import ProgressCallback, no_progress


@dataclass(frozen=True)
class AdvisoryDatabase:
    indexes: tuple[SourceIndex, ...]
    #: how many of the indexes came from the cache (the rest were built now)
    cached: int = 0

    def lookup(self, ecosystem: str, name: str) -> tuple[Advisory, ...]:
        """Advisories affecting ``name`` in ``ecosystem`` (withdrawn ones are not in the index); a
        record present in several sources is returned once."""
        key = (ecosystem_key(ecosystem), normalize_name(ecosystem, name))
        seen: set[str] = set()
        out: list[Advisory] = []
        for index in self.indexes:
            for adv in index.by_package.get(key, ()):
                if adv.id not in seen:
                    seen.add(adv.id)
                    out.append(adv)
        return tuple(out)

    @property
    def records(self) -> int:
        return sum(sum(i.counts.values()) for i in self.indexes)

    @property
    def invalid(self) -> int:
        return sum(i.invalid for i in self.indexes)


def open_database(
    sources: Sequence[Path],
    cache_dir: Path,
    *,
    rebuild: bool = False,
    on_progress: ProgressCallback = no_progress,
) -> AdvisoryDatabase:
    if not sources:
        raise AdvisoryDatabaseError(
            "no advisory database: pass --db DIR|ZIP, set changcheng.deps.db in hucheng.yaml, or run "
            "`hucheng changcheng db update --from URL|PATH`"
        )
    indexes = []
    cached = 0
    for source in sources:
        index, from_cache = load_index(source, cache_dir, rebuild=rebuild, on_progress=on_progress)
        indexes.append(index)
        cached += from_cache
    return AdvisoryDatabase(tuple(indexes), cached)
