"""The issue's "done when": a local HTTP service goes down, `check --once` (cron) sends one grouped,
signed message to a DingTalk-shaped endpoint (notify's stand-in, which checks the signature and the
body); the next run, a new process with the state from the store, does not send it again; when the
service comes back, one resolved message."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

import cli

sys.path.insert(0, str(Path(__file__).resolve().parent / "notify"))
from tianyan_vendor_fakes import VendorServer

SECRET = "SEC-test-secret"


def setup(tmp_path: Path, service_url: str, robot: VendorServer) -> Path:
    (tmp_path / "rules.yml").write_text(
        "groups:\n- name: web\n  rules:\n  - alert: EndpointDown\n    expr: probe_success == 0\n"
        "    labels: {severity: critical}\n"
        '    annotations: {summary: "{{ $labels.check }} is down"}\n'
    )
    (tmp_path / "alertmanager.yml").write_text(
        "route:\n  receiver: ops\n  group_by: [alertname]\n  group_wait: 0s\n  repeat_interval: 4h\n"
        "receivers:\n  - name: ops\n    dingtalk_configs:\n"
        f"      - url: {robot.url('/robot/send?access_token=t0k')}\n        secret: {SECRET}\n"
        "        send_resolved: true\n"
    )
    cfg = tmp_path / "hucheng.yaml"
    cfg.write_text(
        f"home: {tmp_path / 'home'}\ntianyan:\n  checks:\n"
        f"    - {{name: shop, kind: http, url: '{service_url}', timeout: 2s}}\n"
        f"    - {{name: api, kind: http, url: '{service_url}', timeout: 2s}}\n"
        f"  rules:\n    files: ['{tmp_path / 'rules.yml'}']\n"
        f"  notify:\n    alertmanager_config: '{tmp_path / 'alertmanager.yml'}'\n"
    )
    return cfg


def once(cfg: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = cli.main(["--config", str(cfg), "tianyan", "check", "--once", "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_down_then_up_gives_one_grouped_signed_message_each(
    tmp_path: Path, static_http_server: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    robot = VendorServer("dingtalk", secret=SECRET)
    try:
        cfg = setup(tmp_path, f"{static_http_server.url}/healthz", robot)
        code, body = once(cfg, capsys)
        assert code == 1 and body["firing"] == 2
        assert [r.verdict for r in robot.received] == ["ok"]  # signature, timestamp, body all checked
        text = json.dumps(robot.received[0].body, ensure_ascii=False)
        assert "EndpointDown" in text and "shop" in text and "api" in text  # one message, both alerts

        code, body = once(cfg, capsys)  # the next cron run: still firing, not sent again
        assert code == 1 and body["firing"] == 2
        assert len(robot.received) == 1

        (static_http_server.root / "healthz").write_text("ok")
        code, body = once(cfg, capsys)
        assert code == 0 and body["firing"] == 0
        assert [r.verdict for r in robot.received] == ["ok", "ok"]
        resolved = json.dumps(robot.received[1].body, ensure_ascii=False)
        assert "EndpointDown" in resolved
        assert resolved != text
    finally:
        robot.stop()
