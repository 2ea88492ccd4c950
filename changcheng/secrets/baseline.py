"""Baseline files: the fingerprints of findings a team has accepted, as JSON.

    {"version": 1, "tool": "changcheng", "findings": [
        {"fingerprint": "src/a.py:aws-access-key-id:3", "rule": "aws-access-key-id", "path": "src/a.py",
         "line": 3}]}

``secrets --write-baseline FILE`` writes one from a scan; ``--baseline FILE`` then reports those
findings as suppressed, and only new ones fail the build. A bare JSON list of fingerprint strings is
read too. The secret itself is never written to a baseline.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from changcheng.errors import BaselineError
from changcheng.findings import Finding

VERSION = 1


def read_baseline(path: Path) -> frozenset[str]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found; write one with --write-baseline") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}:{exc.lineno}:{exc.colno}: baseline is not JSON: {exc.msg}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc}") from exc
    entries = data.get("findings") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise BaselineError(f"{path}: a baseline is an object with a 'findings' list (or a list)")
    out = set()
    for i, entry in enumerate(entries):
        fingerprint = entry.get("fingerprint") if isinstance(entry, dict) else entry
        if not isinstance(fingerprint, str) or not fingerprint:
            raise BaselineError(f"{path}: findings[{i}] has no 'fingerprint' string")
        out.add(fingerprint)
    return frozenset(out)


def baseline_json(findings: Iterable[Finding]) -> dict[str, Any]:
    entries = [
        {
            "fingerprint": f.fingerprint,
            "rule": f.rule_id,
            "path": f.location.path,
            "line": f.location.line,
            **({"commit": f.location.commit} if f.location.commit else {}),
        }
        for f in sorted(findings, key=lambda f: f.fingerprint)
    ]
    return {"version": VERSION, "tool": "changcheng", "findings": entries}


def write_baseline(path: Path, findings: Iterable[Finding]) -> int:
    """Write the baseline; return how many findings it holds."""
    data = baseline_json(findings)
    try:
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write the baseline: {exc}") from exc
    return len(data["findings"])
