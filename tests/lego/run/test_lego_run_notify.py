"""A failed pipeline raises a tianyan alert through the routing config; the next success resolves it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from realservers.webhook import RecordingWebhook

import cli
from hucheng.exitcodes import ExitCode

PIPELINE = """\
jobs:
  test:
    steps:
      - run: test -f fixed.txt
"""


@pytest.fixture
def hook() -> Iterator[RecordingWebhook]:
    h = RecordingWebhook()
    yield h
    h.close()


def _project(tmp_path: Path, hook: RecordingWebhook, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    (work / ".lego.yml").write_text(PIPELINE)
    (tmp_path / "am.yml").write_text(hook.alertmanager_yml())
    cfg = tmp_path / "hucheng.yaml"
    cfg.write_text(
        f"home: {tmp_path / 'home'}\ntianyan:\n  notify:\n    alertmanager_config: {tmp_path / 'am.yml'}\n"
    )
    monkeypatch.chdir(work)
    monkeypatch.setenv("CI", "true")
    return cfg


def test_failure_fires_once_and_success_resolves(
    tmp_path: Path,
    hook: RecordingWebhook,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cfg = _project(tmp_path, hook, monkeypatch)
    assert cli.main(["--config", str(cfg), "lego", "run", "--no-cache"]) == ExitCode.FINDINGS
    assert [b["status"] for b in hook.bodies] == ["firing"]
    (alert,) = hook.bodies[0]["alerts"]
    assert alert["labels"]["alertname"] == "LegoPipelineFailed"
    assert alert["labels"]["pipeline"] == ".lego.yml"
    assert "test" in alert["annotations"]["summary"]
    # failing again is the same alert: not notified twice
    assert cli.main(["--config", str(cfg), "lego", "run", "--no-cache"]) == ExitCode.FINDINGS
    assert len(hook.bodies) == 1
    (tmp_path / "work" / "fixed.txt").write_text("ok")
    assert cli.main(["--config", str(cfg), "lego", "run", "--no-cache"]) == ExitCode.OK
    assert [b["status"] for b in hook.bodies] == ["firing", "resolved"]


def test_a_broken_routing_config_warns_and_keeps_the_run_result(
    tmp_path: Path,
    hook: RecordingWebhook,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cfg = _project(tmp_path, hook, monkeypatch)
    (tmp_path / "am.yml").write_text("route:\n  receiver: nobody\nreceivers: []\n")
    assert cli.main(["--config", str(cfg), "lego", "run", "--no-cache"]) == ExitCode.FINDINGS
    err = capsys.readouterr().err
    assert "warning: failure notification not sent" in err and "unknown receiver 'nobody'" in err
    assert hook.bodies == []
