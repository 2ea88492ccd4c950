"""``uv.lock``: every ``[[package]]`` with its version; the project itself (editable/virtual) is left out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from changcheng.deps.model import Dependency, Ecosystem, Unpinned
from changcheng.deps.parsers.interface import Parser, display_path
from changcheng.deps.parsers.textfiles import load_toml, read_text, toml_table_lines
from changcheng.errors import LockfileError

NAME = "uv.lock"


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
