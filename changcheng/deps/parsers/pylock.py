"""``pylock.toml`` / ``pylock.<name>.toml`` (PEP 751): every ``[[packages]]`` entry; entries without a
version (VCS, directory, archive) are reported as unpinned."""

from __future__ import annotations

import re
from pathlib import Path

from changcheng.deps.model import Dependency, Ecosystem, Unpinned
from changcheng.deps.parsers.interface import Parser, display_path
from changcheng.deps.parsers.textfiles import load_toml, named_tables, read_text
from changcheng.errors import LockfileError

NAME = "pylock.toml"


def matches(filename: str) -> bool:
    return re.fullmatch(r"pylock(\.[^.]+)?\.toml", filename) is not None


def parse(path: Path, root: Path) -> list[Dependency]:
    display = display_path(path, root)
    text = read_text(path, display)
    data = load_toml(text, display)
    if "lock-version" not in data:
        raise LockfileError(f"{display}:1: no `lock-version` key; is this a PEP 751 pylock.toml?")
    out: list[Dependency] = []
    for pkg, line in named_tables(data, text, "packages", display):
        version = pkg.get("version")
        if isinstance(version, str):
            out.append(Dependency(pkg["name"], Ecosystem.PYPI, version, display, line, NAME))
        elif "directory" in pkg:
            continue  # a local project
        else:
            kind = Unpinned.VCS if "vcs" in pkg else Unpinned.URL
            where = pkg.get("vcs") or pkg.get("archive") or {}
            note = str(where.get("url", "")) if isinstance(where, dict) else ""
            out.append(
                Dependency(pkg["name"], Ecosystem.PYPI, None, display, line, NAME, unpinned=kind, note=note)
            )
    return out


PARSER = Parser(NAME, matches, parse)
