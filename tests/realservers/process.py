"""Start a server binary, wait until it is ready, stop it; its output goes to a log file in tmp.

A server that exits early or is not ready in time raises :class:`ServerStartError` with the last lines
of its log, so a broken fixture says why.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar
from urllib.error import HTTPError
from urllib.request import urlopen

from realservers.ports import LOOPBACK, free_port, port_open

T = TypeVar("T")
ReadyCheck = Callable[[], bool]


class ServerStartError(RuntimeError):
    """A server did not start; the message ends with the last lines of its log."""

    def __init__(self, message: str, *, address_in_use: bool = False) -> None:
        super().__init__(message)
        self.address_in_use = address_in_use


def http_ready(url: str) -> ReadyCheck:
    """Ready when a GET of ``url`` answers 2xx."""

    def check() -> bool:
        try:
            with urlopen(url, timeout=1) as response:
                response.read()
                return 200 <= int(response.status) < 300
        except HTTPError as err:
            err.close()
            return False
        except OSError:
            return False

    return check


def tcp_ready(port: int, host: str = LOOPBACK) -> ReadyCheck:
    """Ready when ``host:port`` accepts TCP connections."""
    return lambda: port_open(port, host)


class ManagedProcess:
    """A started server process. :meth:`stop` sends SIGTERM, then SIGKILL to its process group."""

    def __init__(
        self, name: str, argv: Sequence[str], log_path: Path, popen: subprocess.Popen[bytes]
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.log_path = log_path
        self.popen = popen

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def log_tail(self, lines: int = 25) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:]) or "(log is empty)"

    def stop(self, timeout: float = 10) -> int:
        """Stop the process (SIGTERM, then SIGKILL after ``timeout``); return its exit code."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._kill_group()
        else:
            # the main process is gone; make sure nothing it forked (nginx workers) outlives it
            self._kill_group()
        return self.popen.wait()

    def _kill_group(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)  # start_new_session=True: pgid == pid

    def __repr__(self) -> str:
        return f"ManagedProcess({self.name!r}, pid={self.pid})"


def start_process(
    argv: Sequence[str],
    *,
    name: str,
    log_path: Path,
    ready: ReadyCheck,
    timeout: float = 30,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> ManagedProcess:
    """Start ``argv`` (stdout and stderr to ``log_path``) and poll ``ready`` until it returns True."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        popen = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
    proc = ManagedProcess(name, argv, log_path, popen)
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        if popen.poll() is not None:
            proc.stop()
            tail = proc.log_tail()
            raise ServerStartError(
                f"{name} exited with code {popen.returncode} before it was ready\n"
                f"command: {' '.join(argv)}\nlast lines of {log_path}:\n{tail}",
                address_in_use="address already in use" in tail.lower(),
            )
        if ready():
            return proc
        if time.monotonic() > deadline:
            proc.stop()
            raise ServerStartError(
                f"{name} was not ready after {timeout:g}s\n"
                f"command: {' '.join(argv)}\nlast lines of {log_path}:\n{proc.log_tail()}"
            )
        time.sleep(delay)
        delay = min(delay * 1.5, 0.5)


def start_on_free_port(start: Callable[[int], T], attempts: int = 3) -> T:
    """Call ``start(port)`` with a free port; try another port if that one was taken in between."""
    for attempt in range(attempts):
        try:
            return start(free_port())
        except ServerStartError as err:
            if not err.address_in_use or attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")
