"""The binary rule: a missing binary skips its test, or fails it when CI=true."""

from __future__ import annotations

import pytest
from realservers.binaries import find_binary, require_binary
from realservers.process import ServerStartError, start_process, tcp_ready


def test_missing_binary_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(
        pytest.skip.Exception, match=r"no-such-hucheng-binary not installed: run scripts/bootstrap.sh"
    ):
        require_binary("no-such-hucheng-binary")


def test_missing_binary_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"nginx-missing not installed"):
        require_binary("nginx-missing")


def test_apt_package_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr("realservers.binaries._EXTRA_DIRS", ())
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"apt package prometheus-alertmanager"):
        require_binary("amtool")


def test_a_server_that_dies_reports_its_log(tmp_path) -> None:
    sh = find_binary("sh")
    assert sh is not None
    with pytest.raises(ServerStartError, match=r"(?s)exited with code 3.*boom: bad flag"):
        start_process(
            [sh, "-c", "echo 'boom: bad flag'; exit 3"],
            name="fake",
            log_path=tmp_path / "fake.log",
            ready=tcp_ready(1),
            timeout=10,
        )
