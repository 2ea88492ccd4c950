from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from realservers.ports import free_port

import cli
from hucheng.config import load_config
from hucheng.cycle import ToolOutcome, ToolStatus, run_cycle
from hucheng.errors import HuchengError
from hucheng.exitcodes import ExitCode
from hucheng.metrics import new_registry
from hucheng.store import Query, open_store


def ok_runner(settings: Any, store: Any, registry: Any) -> ToolOutcome:
    return ToolOutcome("tianyan", ToolStatus.OK, "3 checks", 0.25)


def failing_runner(settings: Any, store: Any, registry: Any) -> ToolOutcome:
    raise HuchengError("rules.yml:3:9: bad expression")


def crashing_runner(settings: Any, store: Any, registry: Any) -> ToolOutcome:
    raise ZeroDivisionError("division by zero")


def sample_value(registry: Any, name: str, **labels: str) -> float | None:
    value: float | None = registry.get_sample_value(name, labels)
    return value


def test_cycle_runs_every_enabled_tool_and_records_it(tmp_path: Path) -> None:
    cfg = tmp_path / "h.yaml"
    cfg.write_text(f"home: {tmp_path}\nhuabao:\n  enabled: false\n")
    settings = load_config(cfg, environ={}).settings
    registry = new_registry()
    runners = {"tianyan": ok_runner, "changcheng": failing_runner, "lego": crashing_runner}
    seen: list[str] = []
    with open_store(settings.store_url) as store:
        result = run_cycle(settings, store, registry, runners=runners, on_tool=lambda o: seen.append(o.tool))
        records = list(store.query(Query(kinds=("cycle",))))
    statuses = {o.tool: o.status for o in result.outcomes}
    assert statuses == {
        "tianyan": ToolStatus.OK,
        "changcheng": ToolStatus.FAILED,
        "lego": ToolStatus.FAILED,
        "huabao": ToolStatus.DISABLED,
        "baibaoxiang": ToolStatus.UNAVAILABLE,
        "mojing": ToolStatus.UNAVAILABLE,
    }
    assert seen == ["tianyan", "changcheng", "lego", "huabao", "baibaoxiang", "mojing"]
    details = {o.tool: o.detail for o in result.outcomes}
    assert details["changcheng"] == "rules.yml:3:9: bad expression"
    assert details["lego"] == "unexpected error: ZeroDivisionError: division by zero"
    assert result.failed
    assert len(records) == 1 and records[0].id == result.record_id
    assert records[0].data["tools"]["tianyan"] == {"status": "ok", "detail": "3 checks"}
    assert sample_value(registry, "hucheng_run_success", tool="tianyan") == 1.0
    assert sample_value(registry, "hucheng_run_success", tool="changcheng") == 0.0
    assert sample_value(registry, "hucheng_run_duration_seconds", tool="tianyan") == 0.25
    assert sample_value(registry, "hucheng_run_success", tool="hucheng") == 0.0


def test_cycle_without_runners_is_not_a_failure(tmp_path: Path) -> None:
    cfg = tmp_path / "h.yaml"
    cfg.write_text(f"home: {tmp_path}\n")
    settings = load_config(cfg, environ={}).settings
    with open_store(settings.store_url) as store:
        result = run_cycle(settings, store, new_registry(), runners={})
    assert {o.status for o in result.outcomes} == {ToolStatus.UNAVAILABLE}
    assert not result.failed


def test_run_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    cfg = tmp_path / "h.yaml"
    cfg.write_text(f"home: {tmp_path}\nmojing:\n  enabled: false\n")
    code = cli.main(["--config", str(cfg), "run", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == ExitCode.OK
    assert [row["tool"] for row in report["items"]][-1] == "mojing"
    assert report["items"][-1]["status"] == "disabled"
    assert report["pushed_to"] is None
    code = cli.main(["--config", str(cfg), "store", "ls", "--kind", "cycle", "--format", "json"])
    listed = json.loads(capsys.readouterr().out)
    assert code == ExitCode.OK
    assert [r["id"] for r in listed] == [report["record_id"]]


def test_run_push_without_gateway_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cfg = tmp_path / "h.yaml"
    cfg.write_text(f"home: {tmp_path}\n")
    assert cli.main(["--config", str(cfg), "run", "--push"]) == ExitCode.USAGE
    assert "--push needs metrics.pushgateway" in capsys.readouterr().err


def test_run_pushes_to_a_real_pushgateway(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pushgateway: Any
) -> None:
    cfg = tmp_path / "h.yaml"
    cfg.write_text(
        f"home: {tmp_path}\nmetrics:\n  pushgateway: {pushgateway.url}\n  job: nightly\n"
        "  grouping_key: {instance: ci-7}\n"
    )
    assert cli.main(["--config", str(cfg), "run", "--format", "json"]) == ExitCode.OK
    assert json.loads(capsys.readouterr().out)["pushed_to"] == pushgateway.url
    samples = [
        s
        for family in text_string_to_metric_families(pushgateway.metrics_text())
        for s in family.samples
        if s.name == "hucheng_run_success" and s.labels["tool"] == "hucheng"  # tools with a cycle add rows
    ]
    assert [(s.labels["job"], s.labels["instance"], s.labels["tool"], s.value) for s in samples] == [
        ("nightly", "ci-7", "hucheng", 1.0)
    ]


def test_dead_pushgateway_one_line_and_the_cycle_is_kept(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    cfg = tmp_path / "h.yaml"
    cfg.write_text(f"home: {tmp_path}\nmetrics:\n  pushgateway: {dead}\n  timeout: 2\n")
    code = cli.main(["--config", str(cfg), "run"])
    err = capsys.readouterr().err
    assert code == ExitCode.USAGE
    assert err.count("\n") == 1
    assert err.startswith(f"hucheng: error: cannot reach the Pushgateway at {dead}")
    with open_store(f"sqlite:///{tmp_path / 'hucheng.db'}") as store:
        assert store.count(Query(kinds=("cycle",))) == 1


def test_log_level_from_the_config(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import logging

    root = logging.getLogger()
    monkeypatch.setattr(root, "level", root.level)
    monkeypatch.setattr(root, "handlers", list(root.handlers))
    quiet, chatty = tmp_path / "quiet.yaml", tmp_path / "chatty.yaml"
    quiet.write_text(f"home: {tmp_path}\n")
    chatty.write_text(f"home: {tmp_path}\nlog_level: info\n")
    assert cli.main(["--config", str(quiet), "run", "--format", "json"]) == ExitCode.OK
    assert capsys.readouterr().err == ""
    assert cli.main(["--config", str(chatty), "run", "--format", "json"]) == ExitCode.OK
    err = capsys.readouterr().err
    assert "hucheng: INFO: cycle: tianyan unavailable" in err
