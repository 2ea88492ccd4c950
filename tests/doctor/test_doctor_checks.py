from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest

import cli
from hucheng.config import load_config
from hucheng.doctor import CheckStatus, run_checks
from hucheng.errors import ConfigError
from hucheng.exitcodes import ExitCode
from hucheng.store import open_store

VERSIONS = {
    "git": "git version 2.39.5",
    "prometheus": "prometheus, version 2.42.0+ds (branch: debian/sid)",
    "promtool": "promtool, version 2.42.0+ds",
    "prometheus-alertmanager": "alertmanager, version 0.25.0+ds",
    "prometheus-pushgateway": "pushgateway, version 1.5.1+ds",
    "prometheus-blackbox-exporter": "blackbox_exporter, version 0.23.0",
    "redis-server": "Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64",
    "nginx": "nginx version: nginx/1.22.1",
}


def fake_bin(directory: Path, name: str, output: str) -> Path:
    """A stand-in executable that prints what the real one prints for --version."""
    path = directory / name
    path.write_text(f"#!/bin/sh\necho '{output}'\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def bindir(tmp_path: Path) -> Path:
    directory = tmp_path / "bin"
    directory.mkdir()
    for name, output in VERSIONS.items():
        fake_bin(directory, name, output)
    return directory


def config_loader(tmp_path: Path, text: str = "") -> Any:
    path = tmp_path / "hucheng.yaml"
    path.write_text(f"home: {tmp_path / 'home'}\n{text}")
    return lambda: load_config(path, environ={})


def open_for(settings: Any) -> Any:
    return open_store(settings.store_url)


def by_name(results: list[Any]) -> dict[str, Any]:
    return {r.name: r for r in results}


def test_everything_present(tmp_path: Path, bindir: Path) -> None:
    chrome = fake_bin(bindir, "chromium", "Chromium 156.0.8078.79 built on Debian")
    results = by_name(run_checks(config_loader(tmp_path), open_for, {"PATH": str(bindir)}, chromium_paths=()))
    assert all(r.status is CheckStatus.OK for r in results.values()), results
    assert results["chromium"].detail == f"156.0.8078.79 ({chrome})"
    assert results["git"].detail == f"2.39.5 ({bindir / 'git'})"
    assert results["redis-server"].detail.startswith("7.0.15")
    assert results["nginx"].detail.startswith("1.22.1")
    assert "writable" in results["store"].detail
    assert not any(r.blocking for r in results.values())


def test_hucheng_chromium_wins(tmp_path: Path, bindir: Path) -> None:
    fake_bin(bindir, "chromium", "Chromium 1.0.0")
    other = fake_bin(tmp_path, "my-chrome", "Chromium 2.0.0")
    env = {"PATH": str(bindir), "HUCHENG_CHROMIUM": str(other)}
    assert (
        by_name(run_checks(config_loader(tmp_path), open_for, env, ()))["chromium"].detail
        == f"2.0.0 ({other})"
    )


def test_missing_chromium_blocks_only_when_huabao_is_enabled(tmp_path: Path, bindir: Path) -> None:
    env = {"PATH": str(bindir)}
    chromium = by_name(run_checks(config_loader(tmp_path), open_for, env, ()))["chromium"]
    assert chromium.status is CheckStatus.MISSING
    assert chromium.blocking
    assert chromium.needed_by == ("huabao",)
    assert "apt-get install chromium" in chromium.fix and "HUCHENG_CHROMIUM" in chromium.fix
    disabled = config_loader(tmp_path, "huabao:\n  enabled: false\n")
    assert not by_name(run_checks(disabled, open_for, env, ()))["chromium"].blocking


def test_missing_optional_binary_does_not_block(tmp_path: Path, bindir: Path) -> None:
    (bindir / "prometheus").unlink()
    prometheus = by_name(run_checks(config_loader(tmp_path), open_for, {"PATH": str(bindir)}, ()))[
        "prometheus"
    ]
    assert prometheus.status is CheckStatus.MISSING
    assert not prometheus.blocking
    assert prometheus.fix.startswith("apt-get install prometheus")


def test_missing_git_blocks(tmp_path: Path, bindir: Path) -> None:
    (bindir / "git").unlink()
    git = by_name(run_checks(config_loader(tmp_path), open_for, {"PATH": str(bindir)}, ()))["git"]
    assert git.blocking
    assert git.needed_by == ("changcheng", "lego", "mojing")


def test_invalid_config_skips_the_store(tmp_path: Path, bindir: Path) -> None:
    def broken() -> Any:
        raise ConfigError("h.yaml:1:1: lego: unknown key")

    results = by_name(run_checks(broken, open_for, {"PATH": str(bindir)}, ()))
    assert results["config"].status is CheckStatus.INVALID and results["config"].blocking
    assert results["store"].status is CheckStatus.SKIPPED


def test_corrupt_store_is_reported_not_raised(tmp_path: Path, bindir: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "hucheng.db").write_bytes(b"this is not sqlite" * 100)
    store = by_name(run_checks(config_loader(tmp_path), open_for, {"PATH": str(bindir)}, ()))["store"]
    assert store.status is CheckStatus.INVALID
    assert str(home / "hucheng.db") in store.detail


def test_cli_exit_code_follows_blocking(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "h.yaml"
    path.write_text(f"home: {tmp_path}\n")
    code = cli.main(["--config", str(path), "doctor", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert {row["check"] for row in report["items"]} >= {"python", "config", "store", "chromium", "git"}
    assert code == (ExitCode.OK if report["ok"] else ExitCode.FINDINGS)
    assert report["ok"] == (report["blocking"] == [])


def test_cli_junit(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "h.yaml"
    path.write_text(f"home: {tmp_path}\n")
    cli.main(["--config", str(path), "doctor", "--format", "junit"])
    out = capsys.readouterr().out
    assert out.startswith('<?xml version="1.0" encoding="utf-8"?>')
    assert '<testcase name="store" classname="hucheng.doctor"' in out
