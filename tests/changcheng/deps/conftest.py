"""Fixtures for the deps scan: small OSV databases written as files, and the real PyPA data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from changcheng_deps_helpers import PYPA, SMALL_DB, write_db


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    return write_db(tmp_path / "osv", SMALL_DB)


@pytest.fixture
def pypa() -> Path:
    if not (PYPA / "vulns").is_dir():
        pytest.skip(f"the real PyPA advisory data is not at {PYPA} (optional; see shared/data/README.md)")
    return PYPA.resolve()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """HUCHENG_HOME in a tmp dir, and the tmp dir as the working directory (the scan root)."""
    h = tmp_path / "home"
    monkeypatch.setenv("HUCHENG_HOME", str(h))
    monkeypatch.chdir(tmp_path)
    yield h


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return _write
