"""The starter set's changcheng bricks, run for real: `hucheng changcheng` in a lego step, against a
small offline OSV database and a tree with a token in it (both made here)."""

from __future__ import annotations

import json
import os
import random
import string
import sys
from pathlib import Path

import yaml
from lego_run_helpers import run

from hucheng.store import Store
from lego.run.state import JobStatus
from lego.spec import load_pipeline

#: high (7.5): at or above the brick's default fail-on
HIGH = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"


def _environ(home: Path) -> dict[str, str]:
    """The step's environment: this venv's `hucheng` first on PATH, its own home."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return {"PATH": path, "HUCHENG_HOME": str(home)}


def _osv_db(root: Path) -> Path:
    record = {
        "id": "PYSEC-2018-28",
        "modified": "2024-01-01T00:00:00Z",
        "summary": "requests sends credentials on redirect",
        "aliases": ["CVE-2018-18074"],
        "severity": [{"type": "CVSS_V3", "score": HIGH}],
        "affected": [
            {
                "package": {"name": "requests", "ecosystem": "PyPI"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.20.0"}]}],
            }
        ],
    }
    path = root / "vulns" / "requests" / "PYSEC-2018-28.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(yaml.safe_dump(record), encoding="utf-8")
    return root


def _sarif_rules(path: Path) -> set[str]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {result["ruleId"] for run_ in doc["runs"] for result in run_["results"]}


def test_the_deps_brick_fails_on_a_high_finding_and_keeps_the_sarif_report(
    workspace: Path, store: Store, home: Path, tmp_path: Path
) -> None:
    db = _osv_db(tmp_path / "osv")
    (workspace / "requirements.txt").write_text("requests==2.19.0\n")
    (workspace / ".lego.yml").write_text(
        "jobs:\n"
        f"  strict:\n    steps:\n      - uses: changcheng-deps\n        with: {{db: '{db}'}}\n"
        f"  lenient:\n    steps:\n      - uses: changcheng-deps\n"
        f"        with: {{db: '{db}', fail-on: critical, sarif: reports/lenient.sarif}}\n"
    )
    result = run(load_pipeline(workspace / ".lego.yml"), store, home, environ=_environ(tmp_path / "h"))
    strict, lenient = result.jobs["strict"], result.jobs["lenient"]
    assert strict.status is JobStatus.FAILED, strict.message
    assert "exited with 1" in strict.message  # a finding, not a broken command (2)
    assert lenient.status is JobStatus.SUCCESS, lenient.message
    # the report is written whatever the verdict; the passing job keeps it as an artifact
    assert "PYSEC-2018-28" in " ".join(_sarif_rules(workspace / "reports" / "changcheng-deps.sarif"))
    assert lenient.artifacts == ("reports/changcheng-deps.sarif",)
    log = (Path(result.run_dir) / "logs" / "strict.log").read_text()
    assert "requests" in log and "2.20.0" in log  # the readable table went to the log too


def test_the_deps_brick_without_a_database_fails_with_changcheng_s_own_line(
    workspace: Path, store: Store, home: Path, tmp_path: Path
) -> None:
    (workspace / "requirements.txt").write_text("requests==2.19.0\n")
    (workspace / ".lego.yml").write_text("jobs:\n  deps:\n    steps:\n      - uses: changcheng-deps\n")
    result = run(load_pipeline(workspace / ".lego.yml"), store, home, environ=_environ(tmp_path / "h"))
    assert result.jobs["deps"].status is JobStatus.FAILED
    log = (Path(result.run_dir) / "logs" / "deps.log").read_text()
    assert "no advisory database" in log


def test_the_secrets_brick_fails_on_a_token_and_reports_it_redacted(
    workspace: Path, store: Store, home: Path, tmp_path: Path
) -> None:
    rng = random.Random(7)  # a GitHub personal access token's shape, made here (varied: entropy counts)
    token = "gh" + "p_" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(36))
    (workspace / "deploy.sh").write_text(f"export GITHUB_TOKEN={token}\n")
    (workspace / ".lego.yml").write_text("jobs:\n  secrets:\n    steps:\n      - uses: changcheng-secrets\n")
    result = run(load_pipeline(workspace / ".lego.yml"), store, home, environ=_environ(tmp_path / "h"))
    assert result.jobs["secrets"].status is JobStatus.FAILED
    sarif = workspace / "reports" / "changcheng-secrets.sarif"
    assert _sarif_rules(sarif)  # the finding is in the report
    log = (Path(result.run_dir) / "logs" / "secrets.log").read_text()
    assert token not in sarif.read_text() and token not in log
