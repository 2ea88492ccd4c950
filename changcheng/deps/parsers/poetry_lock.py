"""``poetry.lock``: every ``[[package]]`` with its exact version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from changcheng.deps.model import Dependency, Ecosystem, Unpinned
from changcheng.deps.parsers.interface import Parser, display_path
from changcheng.deps.parsers.textfiles import load_toml, named_tables, read_text

NAME = "poetry.lock"


def parse(path: Path, root: Path) -> list[Dependency]:
    display = display_path(path, root)
    text = read_text(path, display)
    data = load_toml(text, display)
    out: list[Dependency] = []
    for pkg, line in named_tables(data, text, "package", display):
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
