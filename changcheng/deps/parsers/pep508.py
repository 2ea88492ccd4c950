"""A PEP 508 requirement as a :class:`Dependency`: pinned (``==``/``===`` one exact version), a range
(checked against the versions it admits), or a URL/VCS reference (reported as not checked)."""

from __future__ import annotations

from packaging.requirements import Requirement

from changcheng.deps.model import Dependency, Ecosystem, Unpinned

VCS_PREFIXES = ("git+", "hg+", "svn+", "bzr+")


def requirement_dependency(
    req: Requirement, display: str, line: int | None, parser: str, note: str = ""
) -> Dependency:
    """``req`` found at ``display:line`` by ``parser``; ``note`` (e.g. its marker) is kept with it."""
    if req.url:
        kind = Unpinned.VCS if req.url.startswith(VCS_PREFIXES) else Unpinned.URL
        return Dependency(req.name, Ecosystem.PYPI, None, display, line, parser, unpinned=kind, note=req.url)
    specs = list(req.specifier)
    if len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version:
        return Dependency(req.name, Ecosystem.PYPI, specs[0].version, display, line, parser, note=note)
    return Dependency(
        req.name,
        Ecosystem.PYPI,
        None,
        display,
        line,
        parser,
        specifier=str(req.specifier),
        unpinned=Unpinned.RANGE,
        note=note,
    )
