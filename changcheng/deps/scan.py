"""The deps scan: collect dependencies, match them against the advisory database, build a ScanReport.

Advisories that name each other (a PYSEC record and the GHSA record of the same flaw, through their
ids and ``aliases``) become one finding per dependency, under one id with the others as aliases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from changcheng.advisories.database import AdvisoryDatabase
from changcheng.advisories.model import Advisory, Affected
from changcheng.advisories.names import ecosystem_key, normalize_name
from changcheng.deps.discover import discover
from changcheng.deps.ignore import IgnoreList
from changcheng.deps.matching import Matcher, named_versions
from changcheng.deps.model import Dependency, Ecosystem, Unpinned
from changcheng.deps.parsers.environment import installed, interpreter_path
from changcheng.deps.severity import Rated, rate
from changcheng.deps.versions import canonical
from changcheng.errors import LockfileError
from changcheng.findings import Finding, FindingKind, Location, ScanReport
from changcheng.report.ordering import worst_first

#: how many admitted vulnerable versions a range finding lists in its message
SHOWN_VERSIONS = 5


@dataclass(frozen=True)
class Collected:
    dependencies: tuple[Dependency, ...]
    files: tuple[str, ...]


def collect(paths: Sequence[Path], *, root: Path, env: bool = False, python: Path | None = None) -> Collected:
    """Dependencies from the files under ``paths``, and with ``env`` the distributions installed for
    ``python`` (default: the interpreter hucheng runs in)."""
    deps: list[Dependency] = []
    files: list[str] = []
    found_files = discover(paths) if paths else []
    if paths and not found_files and not env:
        names = ", ".join(p.as_posix() for p in paths)
        raise LockfileError(
            f"no dependency files under {names}: looked for requirements*.txt, poetry.lock, Pipfile.lock, "
            "uv.lock, pylock.toml, pyproject.toml and package-lock.json; name a file, or use --env"
        )
    for parser, path in found_files:
        found = parser.parse(path, root)
        files.append(found[0].file if found else path.as_posix())
        deps.extend(found)
    if env:
        deps.extend(installed(interpreter_path(python) if python else None))
    unique = {(d.file, d.line, normalize_name(d.ecosystem, d.name), d.version, d.specifier): d for d in deps}
    return Collected(tuple(unique.values()), tuple(files))


@dataclass
class _Group:
    advisories: list[tuple[Advisory, list[Affected]]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)

    def add(self, advisory: Advisory, entries: list[Affected]) -> None:
        self.advisories.append((advisory, entries))
        self.ids.update((advisory.id, *advisory.aliases))


def scan(
    collected: Collected,
    db: AdvisoryDatabase,
    *,
    tool_version: str,
    root: str = ".",
    ignores: IgnoreList | None = None,
    today: date | None = None,
) -> ScanReport:
    today = today or date.today()
    matcher = Matcher()
    findings: list[Finding] = []
    suppressed: list[tuple[Finding, str]] = []
    unchecked: list[Dependency] = []
    for dep in collected.dependencies:
        if dep.version is None and dep.unpinned in (Unpinned.URL, Unpinned.VCS):
            unchecked.append(dep)
            continue
        for group in _groups(dep, db.lookup(dep.ecosystem, dep.name), matcher):
            finding = _finding(dep, group, matcher)
            if finding is None:
                continue
            entry = ignores.match((finding.rule_id, *finding.aliases), today) if ignores else None
            if ignores is not None and entry is not None:
                suppressed.append((finding, ignores.suppression(entry)))
            else:
                findings.append(finding)
    warnings = ignores.expired_warnings(today) if ignores else []
    if unchecked:
        shown = ", ".join(f"{d.name} ({d.file}:{d.line})" for d in unchecked[:5])
        more = f" and {len(unchecked) - 5} more" if len(unchecked) > 5 else ""
        warnings.append(
            f"{len(unchecked)} URL/VCS dependencies have no version and were not checked: {shown}{more}"
        )
    findings = worst_first(findings)
    pinned = sum(1 for d in collected.dependencies if d.version is not None)
    stats = {
        "files": len(collected.files),
        "dependencies": len(collected.dependencies),
        "pinned": pinned,
        "unpinned": len(collected.dependencies) - pinned,
        "unchecked": len(unchecked),
        "advisories": db.records,
        "invalid_records": db.invalid,
        "findings": len(findings),
        "suppressed": len(suppressed),
    }
    return ScanReport("deps", tool_version, tuple(findings), tuple(suppressed), stats, tuple(warnings), root)


def _groups(dep: Dependency, advisories: Sequence[Advisory], matcher: Matcher) -> list[_Group]:
    """The advisories that affect ``dep`` (pinned: its version; a range: some version it admits),
    merged by shared ids and aliases."""
    key = (ecosystem_key(dep.ecosystem), normalize_name(dep.ecosystem, dep.name))
    groups: list[_Group] = []
    for adv in advisories:
        entries = [
            a
            for a in adv.affected
            if (ecosystem_key(a.ecosystem), normalize_name(a.ecosystem, a.name)) == key
        ]
        if not entries or not _affects_dep(dep, entries, matcher):
            continue
        ids = {adv.id, *adv.aliases}
        joined = [g for g in groups if not g.ids.isdisjoint(ids)]
        target = joined[0] if joined else _Group()
        for other in joined[1:]:
            for merged, merged_entries in other.advisories:
                target.add(merged, merged_entries)
            groups.remove(other)
        target.add(adv, entries)
        if not joined:
            groups.append(target)
    return groups


def _affects_dep(dep: Dependency, entries: list[Affected], matcher: Matcher) -> bool:
    if dep.version is not None:
        return any(matcher.affects(a, dep.version) for a in entries)
    return bool(_admitted(dep, entries, matcher))


def _admitted(dep: Dependency, entries: list[Affected], matcher: Matcher) -> list[str]:
    """Versions the range admits that are affected. Offline, the versions an advisory names (its list,
    the first affected and fixed release of every range) and the range's own lower bounds are the
    releases we know of."""
    if dep.ecosystem is not Ecosystem.PYPI:
        return []
    try:
        spec = SpecifierSet(dep.specifier)
    except InvalidSpecifier:
        spec = SpecifierSet()
    # the range's own lower bounds (>=X, ~=X, ==X) are versions it admits too
    bounds = {s.version for s in spec if s.operator in (">=", "~=", "==") and "*" not in s.version}
    out: dict[str, str] = {}  # canonical form -> the version as the record (else the range) writes it
    for a in entries:
        for v in sorted(named_versions(a)) + sorted(bounds):
            try:
                admitted = spec.contains(v)
            except InvalidVersion:
                continue
            if admitted and matcher.affects(a, v):
                out.setdefault(canonical(a.ecosystem, v), v)
    return sorted(out.values(), key=_pep440_key)


def _pep440_key(v: str) -> tuple[int, Version | str]:
    try:
        return (1, Version(v))
    except InvalidVersion:
        return (0, v)


def _finding(dep: Dependency, group: _Group, matcher: Matcher) -> Finding | None:
    advs = [adv for adv, _ in group.advisories]
    primary = min(advs, key=lambda a: (_id_rank(a.id), a.id))
    ids = group.ids
    ratings = [rate(a) for a in advs]
    rated = max(ratings, key=lambda r: (r.severity.rank, r.score or 0.0))
    entries = [e for _, es in group.advisories for e in es]
    if dep.version is not None:
        admitted: list[str] = []
        probe = dep.version
    else:
        admitted = _admitted(dep, entries, matcher)
        if not admitted:
            return None
        probe = admitted[-1]
    fixed_all = sorted({v for e in entries for v in matcher.fixed_above(e, probe)}, key=_pep440_key)
    fixed = fixed_all[0] if fixed_all else None
    return Finding(
        kind=FindingKind.VULNERABILITY,
        rule_id=primary.id,
        title=primary.title,
        severity=rated.severity,
        location=Location(dep.file, dep.line),
        fingerprint=f"{primary.id}:{dep.ecosystem}/{normalize_name(dep.ecosystem, dep.name)}:{dep.file}",
        message=_message(dep, primary.id, admitted, fixed),
        aliases=tuple(sorted(ids - {primary.id})),
        help_uri=f"https://osv.dev/vulnerability/{primary.id}",
        score=rated.score,
        details=_details(dep, rated, fixed, fixed_all, admitted, [a.id for a in advs]),
    )


def _message(dep: Dependency, adv_id: str, admitted: list[str], fixed: str | None) -> str:
    fix = f"fixed in {fixed}" if fixed else "no fixed release known"
    if dep.version is not None:
        return f"{dep.name} {dep.version} is affected by {adv_id}; {fix}"
    shown = ", ".join(admitted[:SHOWN_VERSIONS]) + (" ..." if len(admitted) > SHOWN_VERSIONS else "")
    spec = dep.specifier or "(any version)"
    advice = f"; require >= {fixed}" if fixed else ""
    return f"{dep.name} {spec} is not pinned and admits versions affected by {adv_id}: {shown}{advice}"


def _details(
    dep: Dependency,
    rated: Rated,
    fixed: str | None,
    fixed_all: list[str],
    admitted: list[str],
    ids: list[str],
) -> dict[str, object]:
    return {
        "package": dep.name,
        "ecosystem": str(dep.ecosystem),
        "installed": dep.version,
        "pinned": dep.version is not None,
        "specifier": dep.specifier,
        "fixed": fixed,
        "fixed_versions": fixed_all,
        "admitted_vulnerable": admitted,
        "records": sorted(ids),
        "cvss": rated.vector,
        "severity_basis": rated.basis or "unknown",
        "source": dep.source,
    }


def _id_rank(adv_id: str) -> int:
    """Which id names a merged finding: the PyPA/OSV record (PYSEC) first, then GHSA, then others."""
    for n, prefix in enumerate(("PYSEC-", "GHSA-")):
        if adv_id.startswith(prefix):
            return n
    return 2
