"""Run results pushed to a real Pushgateway; a dead one is a warning, never a changed result."""

from __future__ import annotations

from pathlib import Path

import pytest
from realservers.ports import free_port
from realservers.pushgateway import PushgatewayServer

import cli
from hucheng.exitcodes import ExitCode


@pytest.fixture
def project(workspace: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(workspace)
    monkeypatch.setenv("HUCHENG_HOME", str(home))
    monkeypatch.setenv("CI", "true")
    (workspace / ".lego.yml").write_text(
        "jobs:\n  ok:\n    steps: [{run: 'true'}]\n  bad:\n    steps: [{run: 'exit 1'}]\n"
    )
    return workspace


def test_metrics_reach_the_pushgateway(
    project: Path, pushgateway: PushgatewayServer, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "hucheng.yaml").write_text(f"metrics:\n  pushgateway: {pushgateway.url}\n")
    assert cli.main(["lego", "run"]) == ExitCode.FINDINGS
    text = pushgateway.metrics_text()
    assert 'lego_run_success{instance="",job="hucheng_lego",pipeline="ws/.lego.yml"} 0' in text
    assert 'lego_job_success{instance="",job="hucheng_lego",lego_job="ok",pipeline="ws/.lego.yml"} 1' in text
    assert 'lego_run_jobs{instance="",job="hucheng_lego",pipeline="ws/.lego.yml",status="failed"} 1' in text
    assert "lego_job_duration_seconds" in text


def test_a_dead_pushgateway_is_one_warning_and_the_run_result_stands(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "hucheng.yaml").write_text(f"metrics:\n  pushgateway: http://127.0.0.1:{free_port()}\n")
    assert cli.main(["lego", "run"]) == ExitCode.FINDINGS
    err = capsys.readouterr().err
    assert "warning: cannot reach the Pushgateway" in err
