"""``Pipfile.lock``: the ``default`` and ``develop`` sections, ``"version": "==X"`` per package."""

from __future__ import annotations

import re
from pathlib import Path

from changcheng.deps.model import Dependency, Ecosystem, Unpinned
from changcheng.deps.parsers.interface import Parser, display_path
from changcheng.deps.parsers.textfiles import load_json, read_text
from changcheng.errors import LockfileError

NAME = "Pipfile.lock"
_SECTION = re.compile(r'^ {4}"(default|develop)"\s*:\s*\{')
_ENTRY = re.compile(r'^ {8}"((?:[^"\\]|\\.)+)"\s*:\s*\{')


def parse(path: Path, root: Path) -> list[Dependency]:
    display = display_path(path, root)
    text = read_text(path, display)
    data = load_json(text, display)
    if not isinstance(data, dict) or not ({"default", "develop"} & set(data)):
        raise LockfileError(f"{display}:1: no `default` or `develop` section; is this a Pipfile.lock?")
    lines = _entry_lines(text)
    out: list[Dependency] = []
    for section in ("default", "develop"):
        entries = data.get(section) or {}
        if not isinstance(entries, dict):
            raise LockfileError(f"{display}:1: `{section}` must be an object")
        for name, entry in entries.items():
            line = lines.get((section, name))
            if not isinstance(entry, dict):
                raise LockfileError(f"{display}:{line or 1}: entry {name!r} must be an object")
            version = entry.get("version")
            if isinstance(version, str) and version.startswith("=="):
                out.append(
                    Dependency(name, Ecosystem.PYPI, version[2:].strip(), display, line, NAME, note=section)
                )
                continue
            kind = Unpinned.VCS if {"git", "hg", "svn", "bzr"} & set(entry) else Unpinned.URL
            target = next(
                (str(entry[k]) for k in ("git", "hg", "svn", "bzr", "file", "path") if k in entry), ""
            )
            if "path" in entry and entry.get("editable"):
                continue  # the project itself
            out.append(
                Dependency(name, Ecosystem.PYPI, None, display, line, NAME, unpinned=kind, note=target)
            )
    return out


def _entry_lines(text: str) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    section = ""
    for n, line in enumerate(text.splitlines(), start=1):
        m = _SECTION.match(line)
        if m:
            section = m.group(1)
            continue
        m = _ENTRY.match(line)
        if m and section:
            out.setdefault((section, m.group(1)), n)
    return out


PARSER = Parser(NAME, lambda name: name == "Pipfile.lock", parse)
