from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import cli
from hucheng.exitcodes import ExitCode

TOOLS = {
    "tianyan": "monitor",
    "changcheng": "scan",
    "lego": "pipeline",
    "mojing": "report",
    "huabao": "perf",
    "baibaoxiang": "catalog",
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_lists_the_six_tools_with_aliases(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == ExitCode.OK
    for tool, alias in TOOLS.items():
        line = next(line for line in out.splitlines() if line.strip().startswith(tool + " "))
        assert f"alias: {alias}" in line
    assert "Exit codes: 0 ok, 1 findings, 2 usage/config error" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == ExitCode.OK
    assert out.startswith("hucheng, version 0.1.0")


@pytest.mark.parametrize(("tool", "alias"), TOOLS.items())
def test_alias_is_the_same_group(capsys: pytest.CaptureFixture[str], tool: str, alias: str) -> None:
    code_tool, out_tool, _ = run(capsys, tool, "--help")
    code_alias, out_alias, _ = run(capsys, alias, "--help")
    assert code_tool == code_alias == ExitCode.OK
    assert out_tool.replace(f"hucheng {tool}", "X") == out_alias.replace(f"hucheng {tool}", "X")
    assert f"Usage: hucheng {tool}" in out_alias


def test_unknown_tool_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "tianyen")
    assert code == ExitCode.USAGE
    assert "No such command 'tianyen'" in err
    assert "Traceback" not in err


def test_bad_flag_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--format", "xml", "doctor")
    assert code == ExitCode.USAGE
    assert "'xml' is not one of 'table', 'json'" in err


def test_bad_config_one_line_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "h.yaml"
    bad.write_text("home: /x\nmetrics:\n  pushgatway: 1\n")
    code, out, err = run(capsys, "--config", str(bad), "config", "show")
    assert code == ExitCode.USAGE
    assert out == ""
    assert err == (
        f"hucheng: error: {bad}:3:3: metrics.pushgatway: unknown key (did you mean 'pushgateway'?) "
        "[docs/errors.md#config-invalid]\n"
    )


def test_missing_config_file_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "--config", str(tmp_path / "none.yaml"), "config", "show")
    assert code == ExitCode.USAGE
    assert (
        err.strip()
        == f"hucheng: error: {tmp_path / 'none.yaml'}: config file not found [docs/errors.md#config-missing]"
    )


def test_config_show_json_masks_interpolated_values(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GW_TOKEN", "s3cret")
    path = tmp_path / "h.yaml"
    path.write_text("home: /x\nmetrics:\n  pushgateway: http://u:${GW_TOKEN}@gw:9091\n")
    code, out, _ = run(capsys, "--config", str(path), "config", "show", "--format", "json")
    assert code == ExitCode.OK
    data = json.loads(out)
    assert data["metrics"]["pushgateway"] == "********"
    assert "s3cret" not in out


def test_root_format_applies_to_subcommands(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "h.yaml"
    path.write_text("home: /x\n")
    code, out, _ = run(capsys, "--format", "json", "--config", str(path), "config", "show", "--origin")
    assert code == ExitCode.OK
    rows = {row["key"]: row for row in json.loads(out)}
    assert rows["home"] == {"key": "home", "value": "/x", "origin": f"file {path}:1:7"}
    assert rows["metrics.job"]["origin"] == "default"


def test_config_validate_reports_each_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text("home: /x\n")
    bad.write_text("home: /x\nlego: [\n")
    code, out, err = run(capsys, "config", "validate", str(good), str(bad), "--format", "json")
    assert code == ExitCode.USAGE
    rows = json.loads(out)
    assert [r["status"] for r in rows] == ["ok", "invalid"]
    assert rows[1]["problem"].startswith(f"{bad}:3:1: YAML syntax error")
    assert err.count("\n") == 1


def test_unexpected_error_exit_3_without_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hucheng.commands.config as config_cmd

    def boom(*_: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(config_cmd, "masked_dump", boom)
    path = tmp_path / "h.yaml"
    path.write_text("home: /x\n")
    code, _, err = run(capsys, "--config", str(path), "config", "show", "--format", "json")
    assert code == ExitCode.UNEXPECTED
    assert "Traceback" not in err
    assert "unexpected error: RuntimeError: disk on fire (run with --debug" in err
    code, _, err = run(capsys, "--debug", "--config", str(path), "config", "show", "--format", "json")
    assert code == ExitCode.UNEXPECTED
    assert "Traceback (most recent call last)" in err


def test_interrupt_exit_130(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hucheng.commands.config as config_cmd

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(config_cmd, "masked_dump", interrupted)
    path = tmp_path / "h.yaml"
    path.write_text("home: /x\n")
    code, _, err = run(capsys, "--config", str(path), "config", "show", "--format", "json")
    assert code == ExitCode.INTERRUPTED
    assert err.strip() == "hucheng: interrupted"


def test_help_imports_no_heavy_module() -> None:
    heavy = [
        "playwright",
        "elasticsearch",
        "celery",
        "prometheus_client",
        "rich",
        "pydantic",
        "yaml",
        "psutil",
    ]
    code = (
        "import sys, cli\n"
        "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_console_script_runs() -> None:
    exe = Path(sys.executable).parent / "hucheng"
    proc = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0
    assert "hucheng, version" in proc.stdout


def test_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    """`hucheng store export | head -1`: exit 0, nothing on stderr."""
    from datetime import UTC, datetime

    from hucheng.store import Record, open_store

    db = tmp_path / "h.db"
    data = {"tools": {}, "duration_seconds": 0.0, "config": None}
    with open_store(str(db)) as store:
        store.put(Record("cycle", datetime.now(UTC), data=data) for _ in range(20_000))
    exe = Path(sys.executable).parent / "hucheng"
    proc = subprocess.Popen(
        [str(exe), "--store", str(db), "store", "export"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().startswith(b"{")
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait() == 0
    assert err == b""


def test_config_show_hides_passwords_in_urls(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUCHENG_METRICS__PUSHGATEWAY", "http://ci:hunter2@gw.internal:9091")
    path = tmp_path / "h.yaml"
    path.write_text("home: /x\n")
    for args in (["config", "show", "--format", "json"], ["config", "show", "--origin", "--format", "json"]):
        code, out, _ = run(capsys, "--config", str(path), *args)
        assert code == ExitCode.OK
        assert "hunter2" not in out
        assert "http://ci:********@gw.internal:9091" in out
    code, out, _ = run(capsys, "--config", str(path), "config", "show", "--origin")
    assert code == ExitCode.OK
    assert "hunter2" not in out


def test_config_schema_describes_every_section(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "config", "schema")
    assert code == ExitCode.OK
    schema = json.loads(out)
    assert schema["title"] == "hucheng.yaml"
    assert schema["additionalProperties"] is False
    assert "required" not in schema
    assert set(schema["properties"]) == {
        "version", "home", "store", "log_level", "metrics", *TOOLS,
    }  # fmt: skip
    metrics = schema["$defs"]["MetricsConfig"]
    assert metrics["additionalProperties"] is False
    assert metrics["properties"]["timeout"]["exclusiveMinimum"] == 0
