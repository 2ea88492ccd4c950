"""The record store: typed records every tool writes and mojing reads.

``open_store(url)`` gives a :class:`Store`; SQLite (WAL) is the embedded default and the interface
leaves room for an Elasticsearch backend. See docs/store.md.
"""

from __future__ import annotations

from hucheng.store.factory import open_store
from hucheng.store.interface import Store
from hucheng.store.kinds import KindRegistry, RecordKind, default_kinds
from hucheng.store.records import PutResult, Query, Record, StoreStats

__all__ = [
    "KindRegistry",
    "PutResult",
    "Query",
    "Record",
    "RecordKind",
    "Store",
    "StoreStats",
    "default_kinds",
    "open_store",
]
