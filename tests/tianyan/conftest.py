"""Fixtures for tianyan's checks and rules tests (notify's live in tests/tianyan/notify/)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tianyan_eval_helpers import HangingServer, RecordingSink

from hucheng.store import Store, open_store


@pytest.fixture
def hanging_server() -> Iterator[HangingServer]:
    server = HangingServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sink() -> RecordingSink:
    return RecordingSink()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'tianyan.db'}") as s:
        yield s
