"""A new critical finding raises a tianyan alert through the routing config; old ones do not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from realservers.webhook import RecordingWebhook

import cli
from hucheng.exitcodes import ExitCode


@pytest.fixture
def hook() -> Iterator[RecordingWebhook]:
    h = RecordingWebhook()
    yield h
    h.close()


def _config(tmp_path: Path, hook: RecordingWebhook, alert_on: str = "critical") -> Path:
    (tmp_path / "am.yml").write_text(hook.alertmanager_yml())
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


def test_a_new_critical_secret_is_alerted_once(tmp_path: Path, hook: RecordingWebhook, capsys: Any) -> None:
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


def test_below_the_threshold_nothing_is_sent(tmp_path: Path, hook: RecordingWebhook, capsys: Any) -> None:
    cfg = _config(tmp_path, hook, alert_on="none")
    repo = tmp_path / "repo"
    _leak(repo)
    assert cli.main(["--config", str(cfg), "changcheng", "secrets", str(repo)]) == ExitCode.FINDINGS
    assert hook.bodies == []


def test_a_bad_alert_on_value_is_a_config_error(tmp_path: Path, hook: RecordingWebhook, capsys: Any) -> None:
    cfg = _config(tmp_path, hook, alert_on="severe")
    assert cli.main(["--config", str(cfg), "changcheng", "secrets", str(tmp_path)]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "changcheng.alert_on" in err and err.count("\n") == 1
