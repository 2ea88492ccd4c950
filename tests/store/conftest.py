"""Fixtures for the store tests: a real SQLite store in tmp_path with the test kinds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from store_testkit import test_kinds

from hucheng.store import Store, open_store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "hucheng.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{db_path}", test_kinds()) as s:
        yield s
