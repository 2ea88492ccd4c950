"""Fixtures for the notify tests: vendor stand-ins on 127.0.0.1, a store, alerts."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tianyan_vendor_fakes import VendorServer

from hucheng.store import Store, open_store


@pytest.fixture
def vendor() -> Iterator[Callable[..., VendorServer]]:
    """A factory: ``vendor("dingtalk", secret="s", mode="500")`` -> a checking fake on port 0."""
    started: list[VendorServer] = []

    def start(kind: str, secret: str | None = None, **options: Any) -> VendorServer:
        server = VendorServer(kind, secret, **options)
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'hucheng.db'}") as s:
        yield s
