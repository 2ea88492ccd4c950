"""``uv.lock``: every ``[[package]]`` with its version; the project itself (editable/virtual) is left out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from changcheng.deps.model import Dependency, Ecosystem, Unpinned
from changcheng.deps.parsers.interface import Parser, display_path
from changcheng.deps.parsers.textfiles import load_toml, named_tables, read_text
from changcheng.errors import LockfileError

NAME = "uv.lock"


def parse(path: Path, root: Path) -> list[Dependency]:
    display = display_path(path, root)
    text = read_text(path, display)
    data = load_toml(text, display)
    out: list[Dependency] = []
    for pkg, line in named_tables(data, text, "package", display):
        source: dict[str, Any] = pkg["source"] if isinstance(pkg.get("source"), dict) else {}
        if {"editable", "virtual"} & set(source):
            continue  # the project or a workspace member: ours
        if "git" in source or "url" in source or "path" in source or "directory" in source:
            kind = Unpinned.VCS if "git" in source else Unpinned.URL
            note = str(next(iter(source.values())))
            out.append(
                Dependency(pkg["name"], Ecosystem.PYPI, None, display, line, NAME, unpinned=kind, note=note)
            )
            continue
        version = pkg.get("version")
        if not isinstance(version, str):
            raise LockfileError(f"{display}:{line or 1}: package {pkg['name']!r} has no version")
        out.append(Dependency(pkg["name"], Ecosystem.PYPI, version, display, line, NAME))
    return out


PARSER = Parser(NAME, lambda name: name == "uv.lock", parse)
