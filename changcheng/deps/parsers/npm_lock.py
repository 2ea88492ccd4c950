"""npm's ``package-lock.json`` (lockfileVersion 2 and 3): every entry of ``packages`` under
``node_modules/``; workspace links and the root project are left out."""

from __future__ import annotations

from pathlib import Path

from changcheng.deps.model import Dependency, Ecosystem, Unpinned
from changcheng.deps.parsers.interface import Parser, display_path
from changcheng.deps.parsers.textfiles import json_key_lines, load_json, read_text
from changcheng.errors import LockfileError

NAME = "package-lock.json"


def parse(path: Path, root: Path) -> list[Dependency]:
    display = display_path(path, root)
    text = read_text(path, display)
    data = load_json(text, display)
    if not isinstance(data, dict):
        raise LockfileError(f"{display}:1: not a package-lock.json (the top level is not an object)")
    version = data.get("lockfileVersion")
    packages = data.get("packages")
    if version not in (2, 3) or not isinstance(packages, dict):
        raise LockfileError(
            f"{display}:1: lockfileVersion {version!r} is not supported (2 and 3 are); regenerate it "
            "with npm 7 or later: npm install --lockfile-version 3"
        )
    lines = json_key_lines(text, 4)
    out: list[Dependency] = []
    for key, entry in packages.items():
        if "node_modules/" not in key:
            continue  # "" is the root project; other keys are workspace folders
        line = lines.get(key)
        if not isinstance(entry, dict):
            raise LockfileError(f"{display}:{line or 1}: entry {key!r} must be an object")
        if entry.get("link"):
            continue
        name = str(entry.get("name") or key.rsplit("node_modules/", 1)[-1])
        ver = entry.get("version")
        note = "dev" if entry.get("dev") else ""
        if not isinstance(ver, str) or not ver[:1].isdigit():
            resolved = str(entry.get("resolved") or ver or "")
            kind = Unpinned.VCS if resolved.startswith(("git", "github:")) else Unpinned.URL
            out.append(
                Dependency(name, Ecosystem.NPM, None, display, line, NAME, unpinned=kind, note=resolved)
            )
            continue
        out.append(Dependency(name, Ecosystem.NPM, ver, display, line, NAME, note=note))
    return out


PARSER = Parser(NAME, lambda name: name == "package-lock.json", parse)
