"""A new critical finding raises a tianyan alert through the routing config; old ones do not."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from typing import Any

import pytest

import cli
from hucheng.exitcodes import ExitCode


class _Hook:
    """A webhook receiver on 127.0.0.1 that keeps the Alertmanager v4 payloads it is sent."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                hook.bodies.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"


@pytest.fixture
def hook() -> Iterator[_Hook]:
    h = _Hook()
    yield h
    h.server.shutdown()
    h.server.server_close()


def _config(tmp_path: Path, hook: _Hook, alert_on: str = "critical") -> Path:
    (tmp_path / "am.yml").write_text(
        "route:\n  receiver: sec\n  group_by: [alertname]\n"
        f"receivers:\n  - name: sec\n    webhook_configs: [{{url: '{hook.url}'}}]\n"
    )
    cfg = tmp_path / "hucheng.yaml"
    cfg.write_text(
        f"home: {tmp_path / 'home'}\n"
        f"tianyan:\n  notify:\n    alertmanager_config: {tmp_path / 'am.yml'}\n"
        f"changcheng:\n  alert_on: {alert_on}\n"
    )
    return cfg


def _leak(repo: Path) -> None:
    repo.mkdir()
    # an AWS-shaped key id (critical in the built-in rules), built here so this file has none
    (repo / "settings.py").write_text('AWS_KEY = "' + "AKIA" + "Q3EGRTZ5LMN7XP2W" + '"\n')


def test_a_new_critical_secret_is_alerted_once(tmp_path: Path, hook: _Hook, capsys: Any) -> None:
    cfg = _config(tmp_path, hook)
    repo = tmp_path / "repo"
    _leak(repo)
    assert cli.main(["--config", str(cfg), "changcheng", "secrets", str(repo)]) == ExitCode.FINDINGS
    assert len(hook.bodies) == 1
    body = hook.bodies[0]
    assert body["status"] == "firing"
    (alert,) = body["alerts"]
    assert alert["labels"]["alertname"] == "ChangchengNewFinding"
    assert alert["labels"]["severity"] == "critical"
    assert alert["labels"]["rule_id"] == "aws-access-key-id"
    assert alert["labels"]["location"] == "settings.py:1"
    # the same finding on the next scan is not new: no second alert
    assert cli.main(["--config", str(cfg), "changcheng", "secrets", str(repo)]) == ExitCode.FINDINGS
    assert len(hook.bodies) == 1


def test_below_the_threshold_nothing_is_sent(tmp_path: Path, hook: _Hook, capsys: Any) -> None:
    cfg = _config(tmp_path, hook, alert_on="none")
    repo = tmp_path / "repo"
    _leak(repo)
    assert cli.main(["--config", str(cfg), "changcheng", "secrets", str(repo)]) == ExitCode.FINDINGS
    assert hook.bodies == []


def test_a_bad_alert_on_value_is_a_config_error(tmp_path: Path, hook: _Hook, capsys: Any) -> None:
    cfg = _config(tmp_path, hook, alert_on="severe")
    assert cli.main(["--config", str(cfg), "changcheng", "secrets", str(tmp_path)]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "changcheng.alert_on" in err and err.count("\n") == 1
