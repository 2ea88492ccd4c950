"""Steps as processes in their own group: timeouts and cancellation leave no orphans."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import psutil
import pytest

from lego.run.masking import Masker
from lego.run.process import build_argv, run_process

BASH = ("bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c")
ENV = {"PATH": os.environ["PATH"]}


def live_sleepers(marker: str) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline", "status"]):
        if proc.info["status"] != psutil.STATUS_ZOMBIE and marker in " ".join(proc.info["cmdline"] or []):
            found.append(proc)
    return found


def test_timeout_kills_the_whole_group_including_a_grandchild(tmp_path: Path) -> None:
    marker = "1000.4242"  # a unique sleep duration to find our grandchild by
    lines: list[str] = []
    script = f"sleep {marker} & echo started; sleep {marker}"
    outcome = run_process(
        build_argv(BASH, script, ENV),
        cwd=tmp_path,
        env=ENV,
        on_line=lines.append,
        masker=Masker(),
        timeout=0.5,
        grace=1.0,
    )
    assert outcome.timed_out and outcome.exit_code != 0
    assert lines == ["started"]
    assert live_sleepers(marker) == []


def test_background_child_left_behind_by_a_finished_step_is_killed(tmp_path: Path) -> None:
    marker = "1000.4343"
    outcome = run_process(
        build_argv(BASH, f"(sleep {marker} >/dev/null 2>&1 &); echo done", ENV),
        cwd=tmp_path,
        env=ENV,
        on_line=lambda line: None,
        masker=Masker(),
    )
    assert outcome.exit_code == 0
    deadline = time.monotonic() + 5
    while live_sleepers(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert live_sleepers(marker) == []


def test_cancel_event_stops_the_step(tmp_path: Path) -> None:
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    outcome = run_process(
        build_argv(BASH, "trap 'echo got TERM; exit 143' TERM; while true; do sleep 0.05; done", ENV),
        cwd=tmp_path,
        env=ENV,
        on_line=lambda line: None,
        masker=Masker(),
        cancel=cancel,
        grace=2.0,
    )
    assert outcome.cancelled and outcome.exit_code == 143


def test_plain_commands_are_execed_without_a_shell_and_shell_syntax_is_not() -> None:
    assert build_argv(BASH, "true", ENV)[1:] == []
    assert build_argv(BASH, "python3 -V", ENV)[1:] == ["-V"]
    assert build_argv(BASH, "echo $HOME", ENV)[0] == "bash"
    assert build_argv(BASH, "cd /tmp", ENV)[0] == "bash"
    assert build_argv(("sh", "-c"), "true", ENV) == ["sh", "-c", "true"]


def test_a_missing_program_is_a_failed_start_not_a_crash(tmp_path: Path) -> None:
    outcome = run_process(
        ["/nonexistent/prog"], cwd=tmp_path, env=ENV, on_line=lambda line: None, masker=Masker()
    )
    assert outcome.exit_code is None and "cannot start" in outcome.error


@pytest.mark.parametrize("where", ["runner's directory", "another directory"])
def test_a_step_gets_sigpipe_back_so_a_closed_pipe_ends_a_writer_quietly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """Python ignores SIGPIPE and SIGXFSZ; a step must not inherit that: ``yes | head -1`` would
    print "yes: standard output: Broken pipe" and exit 1 (under pipefail it exits 141, as in any
    shell). Both ways of starting a step."""
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    cwd = Path.cwd() if where == "runner's directory" else tmp_path / "sub"
    lines: list[str] = []
    outcome = run_process(
        build_argv(BASH, "yes | head -1 || echo status $?; grep SigIgn /proc/self/status", ENV),
        cwd=cwd,
        env=ENV,
        on_line=lines.append,
        masker=Masker(),
    )
    assert outcome.exit_code == 0, lines
    assert lines[:2] == ["y", "status 141"]  # yes was ended by SIGPIPE, quietly
    ignored = int(lines[2].split()[1], 16)
    for sig in (signal.SIGPIPE, signal.SIGXFSZ):
        assert not ignored & (1 << (sig - 1)), f"{sig.name} is ignored in the step"


def test_a_script_without_a_shebang_runs_through_the_shell_as_in_bash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """execve refuses it (ENOEXEC) where bash runs it itself; a script with #! is exec'd directly."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plain.sh").write_text("echo plain $0\n")
    (tmp_path / "bang.sh").write_text("#!/bin/sh\necho bang\n")
    for name in ("plain.sh", "bang.sh"):
        (tmp_path / name).chmod(0o755)
    assert build_argv(BASH, "./plain.sh", ENV)[0] == "bash"
    assert build_argv(BASH, "./bang.sh", ENV) == ["./bang.sh"]
    lines: list[str] = []
    outcome = run_process(
        build_argv(BASH, "./plain.sh", ENV), cwd=Path.cwd(), env=ENV, on_line=lines.append, masker=Masker()
    )
    assert (outcome.exit_code, lines) == (0, ["plain ./plain.sh"])
