"""``poetry.lock``: every ``[[package]]`` with its exact version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from changcheng.deps.model import Dependency, Ecosystem, Unpinned
from changcheng.deps.parsers.interface import Parser, display_path
from changcheng.deps.parsers.textfiles import load_toml, read_text, toml_table_lines
from changcheng.errors import LockfileError

NAME = "poetry.lock"


def parse(path: Path, root: Path) -> list[Dependency]:
    display = display_path(path, root)
    text = read_text(path, display)
    data = load_toml(text, display)
    packages = data.get("package", [])
    if not isinstance(packages, list):
        raise LockfileError(f"{display}:1: `package` must be an array of tables ([[package]])")
    lines = toml_table_lines(text, "package")
    out: list[Dependency] = []
    for n, pkg in enumerate(packages):
        line = lines[n] if n < len(lines) else None
        if not isinstance(pkg, dict) or not isinstance(pkg.get("name"), str):
            raise LockfileError(f"{display}:{line or 1}: a [[package]] entry has no name")
        source: dict[str, Any] = pkg["source"] if isinstance(pkg.get("source"), dict) else {}
        kind = str(source.get("type", ""))
        if kind in ("git", "url", "file", "directory"):
            unpinned = Unpinned.VCS if kind == "git" else Unpinned.URL
            note = str(source.get("url", ""))
            out.append(
                Dependency(
                    pkg["name"], Ecosystem.PYPI, None, display, line, NAME, unpinned=unpinned, note=note
                )
            )
            continue
        out.append(
            Dependency(pkg["name"], Ecosystem.PYPI, str(pkg.get("version", "")) or None, display, line, NAME)
        )
    return out


PARSER = Parser(NAME, lambda name: name == "poetry.lock", parse)
