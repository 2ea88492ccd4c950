"""``pyproject.toml``: PEP 621 ``[project]`` dependencies and optional dependencies, PEP 735
``[dependency-groups]``, and Poetry's ``[tool.poetry.*dependencies]``. A manifest states ranges, so
most entries are unpinned: the scan reports which versions a range admits that are vulnerable."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from changcheng.deps.model import Dependency, Ecosystem, Unpinned
from changcheng.deps.parsers.interface import Parser, display_path
from changcheng.deps.parsers.pep508 import requirement_dependency
from changcheng.deps.parsers.textfiles import line_of, load_toml, read_text
from changcheng.errors import LockfileError

NAME = "pyproject.toml"


def parse(path: Path, root: Path) -> list[Dependency]:
    display = display_path(path, root)
    text = read_text(path, display)
    data = load_toml(text, display)
    lines = text.splitlines()
    out: list[Dependency] = []
    for spec in _pep508_strings(data):
        line = line_of(lines, f'"{spec}"', f"'{spec}'")
        try:
            req = Requirement(spec)
        except InvalidRequirement as exc:
            raise LockfileError(
                f"{display}:{line or 1}: invalid requirement {spec!r} ({_first_line(exc)})"
            ) from exc
        out.append(requirement_dependency(req, display, line, NAME))
    for name, constraint in _poetry_entries(data):
        if name.lower() == "python":
            continue
        line = line_of(lines, *(f"{q}{name}{q} =" for q in ("", '"', "'"))) or line_of(lines, name)
        out.append(_from_poetry(name, constraint, display, line))
    return out


def _pep508_strings(data: dict[str, Any]) -> Iterator[str]:
    project: dict[str, Any] = data["project"] if isinstance(data.get("project"), dict) else {}
    yield from (s for s in project.get("dependencies", []) if isinstance(s, str))
    for group in (project.get("optional-dependencies") or {}).values():
        yield from (s for s in group if isinstance(s, str))
    for group in (data.get("dependency-groups") or {}).values():
        yield from (s for s in group if isinstance(s, str))  # {include-group = ...} tables are skipped


def _poetry_entries(data: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    poetry = (data.get("tool") or {}).get("poetry") or {}
    for key in ("dependencies", "dev-dependencies"):
        yield from (poetry.get(key) or {}).items()
    for group in (poetry.get("group") or {}).values():
        if isinstance(group, dict):
            yield from (group.get("dependencies") or {}).items()


def _from_poetry(name: str, constraint: Any, display: str, line: int | None) -> Dependency:
    if isinstance(constraint, dict):
        for key in ("git", "url", "path"):
            if key in constraint:
                kind = Unpinned.VCS if key == "git" else Unpinned.URL
                return Dependency(
                    name, Ecosystem.PYPI, None, display, line, NAME, unpinned=kind, note=str(constraint[key])
                )
        constraint = constraint.get("version", "*")
    if not isinstance(constraint, str):
        constraint = "*"  # several constraints by marker: any version may be chosen
    specifier = poetry_to_pep440(constraint)
    if specifier is None:
        return Dependency(
            name,
            Ecosystem.PYPI,
            None,
            display,
            line,
            NAME,
            unpinned=Unpinned.RANGE,
            note=f"poetry {constraint!r}",
        )
    pinned = re.fullmatch(r"==\s*([0-9][^,*]*)", specifier)
    if pinned:
        return Dependency(name, Ecosystem.PYPI, pinned.group(1), display, line, NAME)
    return Dependency(
        name, Ecosystem.PYPI, None, display, line, NAME, specifier=specifier, unpinned=Unpinned.RANGE
    )


def poetry_to_pep440(constraint: str) -> str | None:
    """Poetry's constraint syntax as a PEP 440 specifier set; None for ``||`` unions (any version)."""
    text = constraint.strip()
    if "||" in text:
        return None
    parts = [p.strip() for p in re.split(r",|\s+(?=[<>=!^~])", text) if p.strip()]
    out: list[str] = []
    for part in parts:
        if part == "*":
            continue
        if part.startswith("^"):
            out.extend(_caret(part[1:].strip()))
        elif part.startswith("~") and not part.startswith("~="):
            out.extend(_tilde(part[1:].strip()))
        elif re.match(r"^[0-9]", part):
            out.append(f"=={part}")
        else:
            out.append(part)
    return ",".join(out)


def _release(text: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", text.split("-")[0])[:3]] or [0]


def _caret(version: str) -> list[str]:
    rel = _release(version)
    first_nonzero = next((i for i, x in enumerate(rel) if x), len(rel) - 1)
    upper = rel[: first_nonzero + 1]
    upper[-1] += 1
    return [f">={version}", f"<{'.'.join(map(str, upper))}"]


def _tilde(version: str) -> list[str]:
    rel = _release(version)
    upper = rel[:2] if len(rel) >= 2 else rel[:1]
    upper[-1] += 1
    return [f">={version}", f"<{'.'.join(map(str, upper))}"]


PARSER = Parser(NAME, lambda name: name == "pyproject.toml", parse, lockfile=False)


def _first_line(exc: Exception) -> str:
    """packaging's message draws a caret under the problem on further lines; keep the first."""
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
