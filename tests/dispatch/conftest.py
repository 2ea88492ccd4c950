"""Make dispatch_sample_tasks importable by name, here and in spawned worker processes."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hucheng.dispatch import LocalExecutor

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)


@pytest.fixture
def executor() -> Iterator[LocalExecutor]:
    with LocalExecutor(max_workers=4, max_processes=2) as ex:
        yield ex
