"""Samples as Prometheus metrics: a collector over the newest result of every check, for ``/metrics``
and for ``check --once --push``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from prometheus_client import CollectorRegistry
from prometheus_client.metrics_core import Metric

from tianyan.model import Sample

_HELP = "tianyan check sample (see docs/tianyan.md for the names)"


class SamplesCollector:
    """Yields one metric family per sample name from ``source()`` (called at each scrape)."""

    def __init__(self, source: Callable[[], Iterable[Sample]]) -> None:
        self.source = source

    def collect(self) -> Iterator[Metric]:
        families: dict[str, Metric] = {}
        seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
        for s in self.source():
            key = (s.name, tuple(sorted(s.labels.items())))
            if key in seen:
                continue
            seen.add(key)
            family = families.get(s.name)
            if family is None:
                family = families[s.name] = Metric(s.name, _HELP, "unknown")
            family.add_sample(s.name, dict(s.labels), s.value)
        yield from families.values()


def samples_registry(samples: Sequence[Sample]) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(SamplesCollector(lambda: samples))
    return registry
