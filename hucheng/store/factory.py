"""``open_store``: a store URL to an open :class:`Store`, through one explicit dict of backends."""

from __future__ import annotations

from collections.abc import Callable

from hucheng.store.interface import Store
from hucheng.store.kinds import KindRegistry, default_kinds
from hucheng.store.url import StoreURL, parse_store_url


def _open_sqlite(url: StoreURL, kinds: KindRegistry) -> Store:
    from hucheng.store.sqlite import SQLiteStore

    assert url.path is not None
    return SQLiteStore(url.path, kinds)


#: backend name (from the URL) -> opener; an Elasticsearch backend adds one line here
BACKENDS: dict[str, Callable[[StoreURL, KindRegistry], Store]] = {
    "sqlite": _open_sqlite,
}


def open_store(url: str, kinds: KindRegistry | None = None) -> Store:
    """Open the store at ``url`` (see :mod:`hucheng.store.url`), with ``kinds`` or the default kinds.

    Raises :class:`~hucheng.errors.StoreError` (and subclasses) when the store cannot be used and
    :class:`~hucheng.errors.UsageError` for a URL that is not understood.
    """
    parsed = parse_store_url(url)
    return BACKENDS[parsed.backend](parsed, kinds if kinds is not None else default_kinds())
