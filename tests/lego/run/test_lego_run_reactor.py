"""The one-thread loop the runner uses: many step processes, timers and helper-thread work at once."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lego.run.masking import Masker
from lego.run.process import ProcessOutcome, StepProcess
from lego.run.reactor import Reactor

ENV = {"PATH": os.environ["PATH"]}


def start(
    reactor: Reactor, script: str, cwd: Path, done: list[ProcessOutcome], **options: Any
) -> StepProcess:
    """``script`` under bash in ``cwd``; its outcome is appended to ``done``."""
    options.setdefault("on_line", lambda line: None)
    options.setdefault("masker", Masker())
    return StepProcess(reactor, ["bash", "-c", script], cwd=cwd, env=ENV, on_done=done.append, **options)


def run_all(reactor: Reactor, procs: dict[str, list[ProcessOutcome]], limit: float = 20.0) -> None:
    deadline = 0.0
    while not all(procs.values()):
        reactor.run_once(0.05)
        deadline += 0.05
        assert deadline < limit * 20, "processes never finished"


@pytest.mark.parametrize("where", ["own directory (posix_spawn)", "other directory (Popen)"])
def test_many_processes_in_one_loop_keep_their_own_output_and_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    monkeypatch.chdir(tmp_path)
    cwd = tmp_path if where.startswith("own") else tmp_path / "sub"
    cwd.mkdir(exist_ok=True)
    reactor = Reactor()
    lines: dict[str, list[str]] = {}
    done: dict[str, list[ProcessOutcome]] = {}
    try:
        for n in range(6):
            name = f"p{n}"
            lines[name], done[name] = [], []
            script = f"for i in 1 2 3; do echo {name} line $i; done; pwd; exit {n}"
            proc = start(
                reactor, script, cwd, done[name], on_line=lines[name].append, masker=Masker(["line 2"])
            )
            assert (proc._popen is None) == where.startswith("own")
        run_all(reactor, done)
    finally:
        reactor.close()
    for n in range(6):
        name = f"p{n}"
        assert done[name][0].exit_code == n
        assert lines[name] == [f"{name} line 1", f"{name} ***", f"{name} line 3", str(cwd)]


def test_a_timeout_in_one_process_does_not_touch_the_others(tmp_path: Path) -> None:
    reactor = Reactor()
    done: dict[str, list[ProcessOutcome]] = {"slow": [], "quick": []}
    try:
        start(reactor, "sleep 1000.5151", tmp_path, done["slow"], timeout=0.3, grace=0.5)
        start(reactor, "sleep 0.6; echo fine", tmp_path, done["quick"])
        run_all(reactor, done)
    finally:
        reactor.close()
    assert done["slow"][0].timed_out and done["slow"][0].exit_code != 0
    assert not done["quick"][0].timed_out and done["quick"][0].exit_code == 0


def test_a_writer_outside_the_group_does_not_hold_the_step_forever(tmp_path: Path) -> None:
    """setsid puts the background writer in a group of its own: the step ends, its pipe stays open;
    the step is done after a bounded drain, with the lines that came before."""
    lines: list[str] = []
    done: dict[str, list[ProcessOutcome]] = {"step": []}
    reactor = Reactor()
    try:
        start(
            reactor, "echo before; setsid sleep 7.25 & exit 0", tmp_path, done["step"], on_line=lines.append
        )
        run_all(reactor, done, limit=6.0)
    finally:
        reactor.close()
        os.system("pkill -f 'sleep 7.25'")
    assert done["step"][0].exit_code == 0
    assert lines == ["before"]


def _turn_until(reactor: Reactor, done: Callable[[], bool], *, turns: int, wait: float) -> None:
    """Run the loop until ``done()`` or ``turns`` turns of at most ``wait`` seconds each."""
    for _ in range(turns):
        if done():
            return
        reactor.run_once(wait)


def test_helper_thread_values_and_exceptions_come_back_in_the_loop_thread() -> None:
    reactor = Reactor()
    seen: list[tuple[object, str, str]] = []
    loop_thread = threading.current_thread().name

    def boom() -> None:
        raise ValueError("disk full")

    try:
        reactor.in_thread(
            lambda: threading.current_thread().name, lambda v, e: seen.append((v, repr(e), "a"))
        )
        reactor.in_thread(boom, lambda v, e: seen.append((v, repr(e), threading.current_thread().name)))
        _turn_until(reactor, lambda: len(seen) == 2, turns=200, wait=0.05)
    finally:
        reactor.close()
    by_tag = {s[2]: s for s in seen}
    assert str(by_tag["a"][0]).startswith("lego-io")  # ran in a helper thread
    assert by_tag[loop_thread][1] == "ValueError('disk full')"  # delivered in the loop's thread


def test_timers_run_in_order_and_a_cancelled_one_never_runs() -> None:
    reactor = Reactor()
    order: list[str] = []
    try:
        reactor.call_later(0.2, lambda: order.append("late"))
        reactor.call_later(0.05, lambda: order.append("early"))
        reactor.call_later(0.1, lambda: order.append("cancelled")).cancel()
        _turn_until(reactor, lambda: len(order) == 2, turns=100, wait=0.5)
    finally:
        reactor.close()
    assert order == ["early", "late"]
