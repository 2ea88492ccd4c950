"""Helpers for the deps tests: OSV records written as files (imported by name; no __init__ here)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

#: /work/shared/data/osv-pypa next to the repository (optional: tests that need it skip without it)
PYPA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "osv-pypa"


def osv(
    adv_id: str,
    package: str,
    *,
    ecosystem: str = "PyPI",
    events: list[dict[str, str]] | None = None,
    versions: list[str] | None = None,
    aliases: list[str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One OSV record affecting one package."""
    affected: dict[str, Any] = {"package": {"name": package, "ecosystem": ecosystem}}
    if events is not None:
        affected["ranges"] = [{"type": "SEMVER" if ecosystem == "npm" else "ECOSYSTEM", "events": events}]
    if versions is not None:
        affected["versions"] = versions
    record: dict[str, Any] = {
        "id": adv_id,
        "modified": "2024-01-01T00:00:00Z",
        "summary": f"{adv_id} in {package}",
        "affected": [affected],
    }
    if aliases:
        record["aliases"] = aliases
    record.update(extra)
    return record


def write_db(root: Path, records: list[dict[str, Any]], *, fmt: str = "yaml") -> Path:
    """Records in the PyPA layout (vulns/<pkg>/<ID>.yaml) or flat JSON (OSV's all.zip layout)."""
    for record in records:
        if fmt == "yaml":
            pkg = record["affected"][0]["package"]["name"] if record.get("affected") else "none"
            path = root / "vulns" / pkg / f"{record['id']}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(record, sort_keys=False), encoding="utf-8")
        else:
            root.mkdir(parents=True, exist_ok=True)
            (root / f"{record['id']}.json").write_text(json.dumps(record), encoding="utf-8")
    return root


SMALL_DB = [
    osv(
        "PYSEC-2023-74",
        "requests",
        events=[{"introduced": "2.3.0"}, {"fixed": "2.31.0"}],
        aliases=["CVE-2023-32681", "GHSA-j8r2-6x86-q33q"],
    ),
    # the GitHub record of the same flaw: merged with the PYSEC one into one finding
    osv(
        "GHSA-j8r2-6x86-q33q",
        "requests",
        events=[{"introduced": "2.3.0"}, {"fixed": "2.31.0"}],
        aliases=["CVE-2023-32681"],
        severity=[{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N"}],
    ),
    osv(
        "PYSEC-2018-28",
        "requests",
        events=[{"introduced": "0"}, {"fixed": "2.20.0"}],
        aliases=["CVE-2018-18074"],
    ),
    osv(
        "PYSEC-2021-142",
        "PyYAML",
        events=[{"introduced": "0"}, {"fixed": "5.4"}],
        database_specific={"severity": "CRITICAL"},
    ),
    osv(
        "PYSEC-2099-1",
        "requests",
        events=[{"introduced": "0"}],
        withdrawn="2024-02-01T00:00:00Z",
    ),
    osv(
        "GHSA-npm-0001",
        "lodash",
        ecosystem="npm",
        events=[{"introduced": "0"}, {"fixed": "4.17.21"}],
        severity=[{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"}],
    ),
]
