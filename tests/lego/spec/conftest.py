"""Fixtures for the pipeline-file tests: write a pipeline (and bricks) into a temporary directory."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

WriteFile = Callable[..., Path]


@pytest.fixture
def write(tmp_path: Path) -> WriteFile:
    """``write(text, name=".lego.yml")``: dedent ``text`` into ``tmp_path/name``; returns the path."""

    def put(text: str, name: str = ".lego.yml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return put


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An isolated hucheng home for CLI tests; returns it."""
    home = tmp_path / "home"
    monkeypatch.setenv("HUCHENG_HOME", str(home))
    for var in ("HUCHENG_STORE", "HUCHENG_CONFIG", "HUCHENG_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    return home
