"""tianyan's commands through cli.main: output, the one stderr line, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import cli

RULES = """
groups:
  - name: g
    rules:
      - alert: EndpointDown
        expr: probe_success == 0
        labels: {severity: critical}
        annotations: {summary: "{{ $labels.check }} is down"}
"""


def config(tmp_path: Path, url: str, extra: str = "") -> Path:
    rules = tmp_path / "rules.yml"
    rules.write_text(RULES)
    path = tmp_path / "hucheng.yaml"
    path.write_text(
        f"home: {tmp_path / 'home'}\n"
        "tianyan:\n"
        "  checks:\n"
        f"    - {{name: shop, kind: http, url: '{url}', timeout: 2s}}\n"
        f"    - {{name: marker, kind: file, path: '{path}'}}\n"
        f"  rules:\n    files: ['{rules}']\n" + extra
    )
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_once_fires_then_resolves(
    tmp_path: Path, static_http_server: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = config(tmp_path, f"{static_http_server.url}/health")
    code, out, err = run(capsys, "--config", str(cfg), "tianyan", "check", "--once", "--format", "json")
    body = json.loads(out)
    assert code == 1, err
    assert [(c["name"], c["status"]) for c in body["checks"]] == [("shop", "failed"), ("marker", "ok")]
    assert [(a["alertname"], a["state"], a["labels"]["check"]) for a in body["alerts"]] == [
        ("EndpointDown", "firing", "shop")
    ]
    assert body["firing"] == 1
    (static_http_server.root / "health").write_text("ok")
    code, out, _ = run(capsys, "--config", str(cfg), "tianyan", "check", "--once", "--format", "json")
    body = json.loads(out)
    assert code == 0
    assert [(a["alertname"], a["state"]) for a in body["alerts"]] == [("EndpointDown", "resolved")]
    code, out, _ = run(capsys, "--config", str(cfg), "tianyan", "alerts", "--format", "json")
    assert code == 0 and json.loads(out)["alerts"][0]["state"] == "resolved"


def test_check_without_once_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = config(tmp_path, "http://127.0.0.1:9/")
    code, out, err = run(capsys, "--config", str(cfg), "tianyan", "check")
    assert code == 2 and out == ""
    assert "add --once" in err and len(err.strip().splitlines()) == 1


def test_check_config_typo_gets_did_you_mean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "h.yaml"
    path.write_text(
        "tianyan:\n  checks:\n    - name: shop\n      kind: http\n      url: http://x/\n      timout: 3s\n"
    )
    code, out, err = run(capsys, "--config", str(path), "tianyan", "check", "--once")
    assert code == 2 and out == ""
    # at the key's own line, without the union tag pydantic puts in its location
    assert f"{path}:6:7: tianyan.checks.0.timout: unknown key (did you mean 'timeout'?)" in err
    assert len(err.strip().splitlines()) == 1


def test_unknown_check_kind_gets_did_you_mean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "h.yaml"
    path.write_text("tianyan:\n  checks:\n    - name: shop\n      kind: htp\n      url: http://x/\n")
    code, out, err = run(capsys, "--config", str(path), "tianyan", "check", "--once")
    assert code == 2 and out == ""
    assert f"{path}:4:13: tianyan.checks.0.kind: unknown kind 'htp' (did you mean 'http'?)" in err
    assert len(err.strip().splitlines()) == 1


def test_broken_rule_file_stops_check_once_with_position(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = config(tmp_path, "http://127.0.0.1:9/")
    (tmp_path / "rules.yml").write_text("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: sum(up\n")
    code, out, err = run(capsys, "--config", str(cfg), "tianyan", "check", "--once")
    assert code == 2 and out == ""
    assert (
        f"{tmp_path / 'rules.yml'}:5:14: group 'g' alert 'A': PromQL error: unclosed left parenthesis" in err
    )
    assert len(err.strip().splitlines()) == 1


def test_checks_ls_and_run(
    tmp_path: Path, static_http_server: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    (static_http_server.root / "health").write_text("ok")
    cfg = config(tmp_path, f"{static_http_server.url}/health")
    code, out, _ = run(capsys, "--config", str(cfg), "tianyan", "checks", "ls", "--format", "json")
    assert code == 0
    assert [(c["name"], c["kind"], c["status"]) for c in json.loads(out)] == [
        ("shop", "http", "-"),
        ("marker", "file", "-"),
    ]
    code, out, _ = run(capsys, "--config", str(cfg), "tianyan", "checks", "run", "shop", "--format", "json")
    body = json.loads(out)
    assert code == 0 and body["status"] == "ok"
    assert {
        "name": "probe_http_status_code",
        "labels": {"check": "shop", "instance": f"{static_http_server.url}/health"},
        "value": 200.0,
    } in body["samples"]
    code, out, _ = run(capsys, "--config", str(cfg), "tianyan", "checks", "ls", "--format", "json")
    assert json.loads(out)[0]["status"] == "ok"
    code, out, err = run(capsys, "--config", str(cfg), "tianyan", "checks", "run", "shpo")
    assert code == 2 and "no check named 'shpo' in tianyan.checks; did you mean 'shop'?" in err


def test_rules_test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    path = Path(__file__).resolve().parents[2] / "configs" / "tianyan" / "rules_test.yml"
    code, out, _ = run(capsys, "tianyan", "rules", "test", str(path), "--format", "json")
    assert code == 0
    (result,) = json.loads(out)
    assert result["passed"] and result["tests"] == 3 and result["failures"] == []


def test_rules_test_missing_rule_file_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.yml"
    path.write_text("rule_files: [nope.yml]\ntests: []\n")
    code, _, err = run(capsys, "tianyan", "rules", "test", str(path))
    assert code == 2 and "rule file 'nope.yml' not found" in err


def test_checks_from_a_file_of_their_own(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    more = tmp_path / "checks.yml"
    more.write_text("checks:\n  - name: db\n    kind: tcp\n    host: 127.0.0.1\n    port: 5432\n")
    cfg = config(tmp_path, "http://127.0.0.1:9/", f"  checks_files: ['{more}']\n")
    code, out, _ = run(capsys, "--config", str(cfg), "tianyan", "checks", "ls", "--format", "json")
    assert code == 0 and [c["name"] for c in json.loads(out)] == ["shop", "marker", "db"]
    more.write_text("checks:\n  - name: db\n    kind: tcp\n    host: 127.0.0.1\n    prot: 5432\n")
    code, out, err = run(capsys, "--config", str(cfg), "tianyan", "checks", "ls")
    assert code == 2 and out == ""
    assert f"{more}:5:5: checks.0.prot: unknown key (did you mean 'port'?)" in err
    more.write_text("checks:\n  - {name: shop, kind: tcp, host: 127.0.0.1, port: 1}\n")
    code, _, err = run(capsys, "--config", str(cfg), "tianyan", "checks", "ls")
    assert code == 2 and "two checks are named 'shop'" in err
