"""`hucheng run` includes tianyan: one round, FINDINGS while an alert fires."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from realservers.ports import free_port

import cli


def test_hucheng_run_reports_tianyan_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules.yml"
    rules.write_text("groups:\n- name: g\n  rules:\n  - alert: Down\n    expr: probe_success == 0\n")
    cfg = tmp_path / "h.yaml"
    cfg.write_text(
        f"home: {tmp_path}\ntianyan:\n  checks:\n"
        f"    - {{name: tcp, kind: tcp, host: 127.0.0.1, port: {free_port()}, timeout: 1s}}\n"
        f"  rules:\n    files: ['{rules}']\n"
    )
    assert cli.main(["--config", str(cfg), "run", "--format", "json"]) == 1
    body = json.loads(capsys.readouterr().out)
    tianyan = next(t for t in body["items"] if t["tool"] == "tianyan")
    assert tianyan["status"] == "findings"
    assert tianyan["detail"] == "1 check(s), 1 failed; 1 rule(s), 1 firing"
