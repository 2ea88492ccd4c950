"""``requirements*.txt`` (pip's format): pins, ``--hash``, markers, extras, ``-r``/``-c`` includes,
and URL/VCS requirements (reported as unpinned). Each requirement keeps the file and the line it
starts on (continuation lines with ``\\`` are joined)."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import replace
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement

from changcheng.advisories.names import normalize_name
from changcheng.deps.model import Dependency, Ecosystem, Unpinned
from changcheng.deps.parsers.interface import Parser, display_path
from changcheng.deps.parsers.pep508 import VCS_PREFIXES, requirement_dependency
from changcheng.deps.parsers.textfiles import read_text
from changcheng.errors import LockfileError

NAME = "requirements"
_COMMENT = re.compile(r"(^|\s+)#.*$")
#: options that may follow a requirement on its line
_PER_REQ_OPTION = re.compile(r"\s--?(hash|global-option|install-option|config-settings)\b")
_VCS = VCS_PREFIXES
_INCLUDE = re.compile(r"^(-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?=[^\s-]))(\S+)$")
_EDITABLE = re.compile(r"^(-e|--editable)(?:\s*=\s*|\s+)(\S+)$")
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")


def matches(filename: str) -> bool:
    return fnmatch.fnmatch(filename, "requirements*.txt") or fnmatch.fnmatch(filename, "*requirements.txt")


def parse(path: Path, root: Path) -> list[Dependency]:
    constraints: dict[str, tuple[str, str]] = {}
    deps = _parse_file(path, root, seen=set(), constraints=constraints, is_constraint=False)
    return [_constrain(d, constraints) for d in deps]


def _parse_file(
    path: Path,
    root: Path,
    *,
    seen: set[Path],
    constraints: dict[str, tuple[str, str]],
    is_constraint: bool,
) -> list[Dependency]:
    display = display_path(path, root)
    resolved = path.resolve()
    if resolved in seen:
        return []
    seen.add(resolved)
    out: list[Dependency] = []
    for line_no, text in _logical_lines(read_text(path, display)):
        where = f"{display}:{line_no}"
        include = _INCLUDE.match(text)
        if include:
            target = (path.parent / include.group(2)).expanduser()
            if not target.is_file():
                raise LockfileError(f"{where}: included file {include.group(2)} does not exist ({target})")
            as_constraint = include.group(1) in ("-c", "--constraint")
            out.extend(
                _parse_file(
                    target,
                    root,
                    seen=seen,
                    constraints=constraints,
                    is_constraint=is_constraint or as_constraint,
                )
            )
            continue
        editable = _EDITABLE.match(text)
        if editable:
            dep = _direct(editable.group(2), display, line_no)
            if dep is not None and not is_constraint:
                out.append(dep)
            continue
        if text.startswith("-"):
            continue  # index and install options (-i, --extra-index-url, --pre, ...): nothing to scan
        dep = _requirement(_PER_REQ_OPTION.split(text, maxsplit=1)[0].strip(), display, line_no)
        if dep is None:
            continue
        if is_constraint:
            if dep.version is not None:
                constraints.setdefault(normalize_name("PyPI", dep.name), (dep.version, where))
            continue
        out.append(dep)
    return out


def _logical_lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    buf: list[str] = []
    start = 0
    for n, raw in enumerate(text.splitlines(), start=1):
        if not buf:
            start = n
        line = raw.rstrip()
        if line.endswith("\\"):
            buf.append(line[:-1])
            continue
        buf.append(line)
        joined = _COMMENT.sub("", " ".join(buf)).strip()
        buf = []
        if joined:
            out.append((start, joined))
    if buf:
        joined = _COMMENT.sub("", " ".join(buf)).strip()
        if joined:
            out.append((start, joined))
    return out


def _requirement(text: str, display: str, line: int) -> Dependency | None:
    if text.startswith(_VCS) or re.match(r"^(https?|file|ftp)://", text) or _is_path(text):
        return _direct(text, display, line)
    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        raise LockfileError(f"{display}:{line}: invalid requirement {text!r} ({_first_line(exc)})") from exc
    marker = str(req.marker) if req.marker else ""
    return requirement_dependency(req, display, line, NAME, note=marker)


def _direct(target: str, display: str, line: int) -> Dependency | None:
    """A URL, VCS or local-path requirement: reported as unpinned, under its ``#egg=`` name."""
    egg = _EGG.search(target)
    if egg is None:
        if _is_path(target):
            return None  # a local project (-e ., ./libs/x): ours, nothing to look up
        name = re.sub(r"[-_.]?\d.*$", "", target.rstrip("/").rsplit("/", 1)[-1].split("#")[0]) or target
    else:
        name = egg.group(1)
    kind = Unpinned.VCS if target.startswith(_VCS) else Unpinned.URL
    return Dependency(name, Ecosystem.PYPI, None, display, line, NAME, unpinned=kind, note=target)


def _is_path(text: str) -> bool:
    return text.startswith((".", "/", "~")) or text in (".", "..")


def _constrain(dep: Dependency, constraints: dict[str, tuple[str, str]]) -> Dependency:
    """An unpinned requirement pinned by a ``-c`` constraints file takes that version."""
    pin = constraints.get(normalize_name("PyPI", dep.name))
    if dep.version is not None or dep.unpinned is not Unpinned.RANGE or pin is None:
        return dep
    return replace(dep, version=pin[0], unpinned=None, note=f"pinned by {pin[1]}")


PARSER = Parser(NAME, matches, parse)


def _first_line(exc: Exception) -> str:
    """packaging's message draws a caret under the problem on further lines; keep the first."""
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
