"""One step as a subprocess in its own process group, with its output read as masked lines.

The process starts in a new session (``start_new_session=True``), so it and everything it spawns
share a process group that is not the terminal's: Ctrl-C reaches the runner only, and the runner
kills the group. When the step's main process ends, when it times out and when the run is cancelled,
the whole group gets SIGTERM, ``grace`` seconds, then SIGKILL: no orphan outlives its step.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import shlex
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from lego.run.lines import LineBuffer
from lego.run.masking import Masker

#: bash builtins and keywords: a line starting with one of these needs the shell
_SHELL_WORDS = frozenset(
    [
        "alias",
        "bg",
        "bind",
        "break",
        "builtin",
        "caller",
        "case",
        "cd",
        "command",
        "compgen",
        "complete",
        "continue",
        "declare",
        "dirs",
        "disown",
        "enable",
        "eval",
        "exec",
        "exit",
        "export",
        "fc",
        "fg",
        "for",
        "function",
        "getopts",
        "hash",
        "help",
        "history",
        "if",
        "jobs",
        "kill",
        "let",
        "local",
        "logout",
        "mapfile",
        "popd",
        "pushd",
        "pwd",
        "read",
        "readarray",
        "readonly",
        "return",
        "select",
        "set",
        "shift",
        "shopt",
        "source",
        "suspend",
        "time",
        "times",
        "trap",
        "type",
        "typeset",
        "ulimit",
        "umask",
        "unalias",
        "unset",
        "until",
        "wait",
        "while",
        ".",
        ":",
        "[[",
        "{",
        "}",
    ]
)  # true, false, echo, printf, test and [ behave the same as /usr/bin's, so they may be exec'd
_PLAIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./=:,+@% ")
_READ_SIZE = 65536


@dataclass(frozen=True)
class ProcessOutcome:
    exit_code: int | None  # None when the process could not be started
    timed_out: bool = False
    cancelled: bool = False
    error: str = ""  # why it could not start
    pid: int = 0


def direct_argv(script: str, env: Mapping[str, str]) -> list[str] | None:
    """``script`` as an argv to exec without a shell, when that changes nothing: one line of plain
    words whose command is a program on ``PATH`` (not a shell builtin). Else ``None``."""
    text = script.strip()
    if not text or any(ch not in _PLAIN for ch in text):
        return None
    argv = text.split()
    if argv[0] in _SHELL_WORDS or "=" in argv[0]:
        return None
    found = _which(argv[0], env.get("PATH"))
    if found is None:
        return None
    return [found, *argv[1:]]


#: (program, PATH) -> where it was found; a hit is re-checked with one access() (not a PATH walk)
_FOUND: dict[tuple[str, str | None], str] = {}


def _which(name: str, path: str | None) -> str | None:
    if os.sep in name:  # relative to the step's working directory: not cacheable by name
        return shutil.which(name, path=path)
    found = _FOUND.get((name, path))
    if found is not None and os.access(found, os.X_OK) and not os.path.isdir(found):
        return found
    found = shutil.which(name, path=path)
    if found is not None:
        _FOUND[(name, path)] = found
    return found


def build_argv(shell: Sequence[str], script: str, env: Mapping[str, str]) -> list[str]:
    if shell and Path(shell[0]).name == "bash":
        direct = direct_argv(script, env)
        if direct is not None:
            return direct
    return [*shell, script]


def kill_group(pgid: int, grace: float) -> None:
    """SIGTERM the group, wait up to ``grace`` seconds for it to empty, then SIGKILL what is left."""
    try:
        os.killpg(pgid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not group_alive(pgid):
            return
        time.sleep(0.02)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def group_alive(pgid: int) -> bool:
    """Whether a live (non-zombie) process is in group ``pgid``; zombies wait for a parent to reap."""
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    with os.scandir("/proc") as entries:
        names = [e.name for e in entries if e.name.isdigit()]
    for name in names:
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        if len(fields) > 2 and int(fields[2]) == pgid and fields[0] != b"Z":
            return True
    return False


_DEVNULL: list[int] = []
_DEVNULL_LOCK = threading.Lock()


def _devnull() -> int:
    """One read-only /dev/null descriptor for every step's stdin (Popen's DEVNULL opens one per call).
    Popen dup2()s it onto the child's fd 0; it is close-on-exec here, so no child inherits it as is."""
    with _DEVNULL_LOCK:
        if not _DEVNULL:
            _DEVNULL.append(os.open(os.devnull, os.O_RDONLY | os.O_CLOEXEC))
        return _DEVNULL[0]


def run_process(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    on_line: Callable[[str], None],
    masker: Masker,
    timeout: float | None = None,
    cancel: threading.Event | None = None,
    grace: float = 5.0,
    on_start: Callable[[int], None] = lambda pid: None,
) -> ProcessOutcome:
    """Run ``argv``; every output line (stdout and stderr, merged) goes to ``on_line`` masked."""
    try:
        proc = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=env,
            stdin=_devnull(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as exc:
        return ProcessOutcome(None, error=f"cannot start {argv[0]!r} in {cwd}: {exc.strerror or exc}")
    on_start(proc.pid)
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    buffer = LineBuffer(masker)
    deadline = None if timeout is None else time.monotonic() + timeout
    timed_out = cancelled = False
    with selectors.PollSelector() as sel:  # poll(2): no epoll descriptor to create and close per step
        sel.register(fd, selectors.EVENT_READ)
        open_pipe = True
        while open_pipe:
            wait = 0.1 if deadline is None else max(0.0, min(0.1, deadline - time.monotonic()))
            if sel.select(wait):
                data = os.read(fd, _READ_SIZE)
                if not data:
                    open_pipe = False
                for line in buffer.feed(data):
                    on_line(line)
            if cancel is not None and cancel.is_set():
                cancelled = True
            elif deadline is not None and time.monotonic() >= deadline:
                timed_out = True
            elif proc.poll() is None:
                continue
            if cancelled or timed_out:
                kill_group(proc.pid, grace)
            # the step ended (or was killed): what it left behind in its group goes too
            kill_group(proc.pid, 0.0)
            _drain(sel, fd, buffer, on_line)
            open_pipe = False
    for line in buffer.close():
        on_line(line)
    proc.stdout.close()
    code = proc.wait()
    kill_group(proc.pid, 0.0)  # a background child that closed its stdout early
    return ProcessOutcome(code, timed_out=timed_out, cancelled=cancelled, pid=proc.pid)


def _drain(sel: selectors.BaseSelector, fd: int, buffer: LineBuffer, on_line: Callable[[str], None]) -> None:
    """Read what is left in the pipe once its writers are gone (bounded, so a stuck writer can't hang us)."""
    end = time.monotonic() + 2.0
    while time.monotonic() < end and sel.select(0.05):
        data = os.read(fd, _READ_SIZE)
        if not data:
            return
        for line in buffer.feed(data):
            on_line(line)


def describe(argv: Sequence[str]) -> str:
    return shlex.join(argv)
