"""One step as a subprocess in its own process group, with its output read as masked lines.

The process starts in a new session (``start_new_session=True``), so it and everything it spawns
share a process group that is not the terminal's: Ctrl-C reaches the runner only, and the runner
kills the group. When the step's main process ends, when it times out and when the run is cancelled,
the whole group gets SIGTERM, ``grace`` seconds, then SIGKILL: no orphan outlives its step.
"""

from __future__ import annotations

import contextlib
import errno
import os
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
from lego.run.reactor import Reactor, Timer

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
    if found is None or found not in _EXECS:
        return None  # not on PATH, or a script without #! that only a shell runs
    return [found, *argv[1:]]


#: (program, PATH) -> (where it was found, when it was last checked)
_FOUND: dict[tuple[str, str | None], tuple[str, float]] = {}
#: a hit younger than this is trusted as is; an older one is re-checked with one access()
_FRESH = 1.0
#: programs found that the kernel can exec (a binary, or a script with #!); a shell script without
#: #! is run by bash (ENOEXEC: it falls back to itself) but not by execve
_EXECS: set[str] = set()


def _which(name: str, path: str | None) -> str | None:
    if os.sep in name:  # relative to the step's working directory: not cacheable by name
        return _check_exec(shutil.which(name, path=path))
    now = time.monotonic()
    hit = _FOUND.get((name, path))
    if hit is not None and (now - hit[1] < _FRESH or os.access(hit[0], os.X_OK)):
        if now - hit[1] >= _FRESH:
            _FOUND[(name, path)] = (hit[0], now)
        return hit[0]
    found = _check_exec(shutil.which(name, path=path))
    if found is not None:
        _FOUND[(name, path)] = (found, now)
    return found


def _check_exec(found: str | None) -> str | None:
    """``found``, noted in :data:`_EXECS` when execve would run it."""
    if found is not None:
        try:
            with open(found, "rb") as fh:
                head = fh.read(4)
        except OSError:  # executable but unreadable: only a binary can be run so
            head = b"\x7fELF"
        if head.startswith((b"#!", b"\x7fELF")):
            _EXECS.add(found)
        else:
            _EXECS.discard(found)
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


#: what Python ignores at start-up and a step must get back, as ``subprocess.Popen``'s
#: ``restore_signals`` does (``posix_spawn`` keeps ignored signals ignored): without SIGPIPE,
#: ``yes | head -1`` prints "Broken pipe" and fails
_RESTORED_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGPIPE", "SIGXFZ", "SIGXFSZ") if hasattr(signal, name)
)

_DEVNULL: list[int] = []
_DEVNULL_LOCK = threading.Lock()


def _devnull() -> int:
    """One read-only /dev/null descriptor for every step's stdin (Popen's DEVNULL opens one per call).
    It is dup2()ed onto the child's fd 0; it is close-on-exec here, so no child inherits it as is."""
    with _DEVNULL_LOCK:
        if not _DEVNULL:
            _DEVNULL.append(os.open(os.devnull, os.O_RDONLY | os.O_CLOEXEC))
        return _DEVNULL[0]


def _start(
    argv: Sequence[str], cwd: Path, env: Mapping[str, str]
) -> tuple[int, int, subprocess.Popen[bytes] | None]:
    """Start ``argv`` in a new session with stdout and stderr on one pipe: (pid, read end, Popen).

    In the runner's own directory (the common case) it is one ``posix_spawn`` (vfork+exec in glibc:
    no Popen object, no error pipe, no page-table copy); elsewhere Popen, which can change directory.
    """
    program = argv[0] if os.sep in argv[0] else _which(argv[0], env.get("PATH"))
    if program is None:
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), argv[0])
    read_fd, write_fd = os.pipe2(os.O_CLOEXEC)
    try:
        if os.path.abspath(cwd) == os.getcwd():
            actions = [
                (os.POSIX_SPAWN_DUP2, _devnull(), 0),
                (os.POSIX_SPAWN_DUP2, write_fd, 1),
                (os.POSIX_SPAWN_DUP2, write_fd, 2),
            ]
            pid = os.posix_spawn(
                program, list(argv), env, file_actions=actions, setsid=True, setsigdef=_RESTORED_SIGNALS
            )
            return pid, read_fd, None
        popen = subprocess.Popen(
            list(argv),
            executable=program,
            cwd=cwd,
            env=env,
            stdin=_devnull(),
            stdout=write_fd,
            stderr=write_fd,
            start_new_session=True,
        )
        return popen.pid, read_fd, popen
    except BaseException:
        os.close(read_fd)
        raise
    finally:
        os.close(write_fd)


def _killpg(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


class StepProcess:
    """One step's process, watched by a :class:`~lego.run.reactor.Reactor`: its output pipe is read
    as masked lines, its exit is seen through a pidfd, its timeout is a timer. ``on_done`` gets the
    :class:`ProcessOutcome` once the process has ended and its output is read (or, with writers
    left outside its group, 2 s later).

    When the step's main process ends, what it left behind in its group is killed. On timeout or
    :meth:`cancel` the group gets SIGTERM, then SIGKILL after ``grace`` seconds unless the whole group
    is gone first (every writer of the pipe closed it and the main process was reaped).
    """

    def __init__(
        self,
        reactor: Reactor,
        argv: Sequence[str],
        *,
        cwd: Path,
        env: Mapping[str, str],
        on_line: Callable[[str], None],
        masker: Masker,
        on_done: Callable[[ProcessOutcome], None],
        timeout: float | None = None,
        grace: float = 5.0,
        on_start: Callable[[int], None] = lambda pid: None,
        on_lines: Callable[[list[str]], None] | None = None,
    ) -> None:
        """``on_lines``, when given, takes the lines of each read at once instead of ``on_line``."""
        self.reactor, self.on_line, self.on_done, self.grace = reactor, on_line, on_done, grace
        self._deliver = on_lines or self._one_by_one
        self.pid = 0
        self.exit_code: int | None = None
        self.timed_out = self.cancelled = self.done = False
        self._stopping = self._eof = self._swept = False
        self._timers: list[Timer] = []
        self._drain: Timer | None = None
        self._buffer = LineBuffer(masker)
        try:
            self.pid, self._fd, self._popen = _start(argv, cwd, env)
        except OSError as exc:
            error = f"cannot start {argv[0]!r} in {cwd}: {exc.strerror or exc}"
            self.done = True
            reactor.call_later(0.0, lambda: on_done(ProcessOutcome(None, error=error)))
            return
        on_start(self.pid)
        reactor.add_reader(self._fd, self._on_output)
        try:
            self._pidfd = os.pidfd_open(self.pid)
        except (AttributeError, OSError):  # no pidfd (Linux < 5.3): look for the exit every 20 ms
            self._timers.append(reactor.call_later(0.02, self._poll_exit))
        else:
            reactor.add_reader(self._pidfd, self._on_exit)
        if timeout is not None:
            self._timers.append(reactor.call_later(timeout, self._on_timeout))

    # -- events -----------------------------------------------------------------------------------
    def _on_output(self) -> None:
        data = os.read(self._fd, _READ_SIZE)
        if not data:
            self._close_output()
            self._maybe_finish()
            return
        lines = self._buffer.feed(data)
        if lines:
            self._deliver(lines)

    def _one_by_one(self, lines: list[str]) -> None:
        for line in lines:
            self.on_line(line)

    def _close_output(self) -> None:
        if not self._eof:
            self._eof = True
            self.reactor.remove_reader(self._fd)
            os.close(self._fd)

    def _on_exit(self) -> None:
        self.reactor.remove_reader(self._pidfd)
        os.close(self._pidfd)
        if not self._stopping:  # kill what it left behind while its zombie still holds the group id
            _killpg(self.pid, signal.SIGKILL)
            self._swept = True
        if self._popen is not None:
            self._ended(self._popen.wait())
        else:
            self._ended(os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1]))

    def _poll_exit(self) -> None:
        if self._popen is not None:
            code = self._popen.poll()
        else:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            code = os.waitstatus_to_exitcode(status) if pid else None
        if code is None:
            self._timers.append(self.reactor.call_later(0.02, self._poll_exit))
            return
        self._ended(code)

    def _ended(self, code: int) -> None:
        if not self._stopping and not self._swept:  # the step ended: its leftovers in the group go too
            _killpg(self.pid, signal.SIGKILL)
            self._swept = True
        self.exit_code = code
        self._maybe_finish()

    def _on_timeout(self) -> None:
        self.timed_out = True
        self._stop()

    def cancel(self) -> None:
        """Stop the step: SIGTERM to its group, SIGKILL after the grace period."""
        if not self.done and not self._stopping:
            self.cancelled = True
            self._stop()

    def _stop(self) -> None:
        if self._stopping or self.done:
            return
        self._stopping = True
        _killpg(self.pid, signal.SIGTERM)
        self._timers.append(self.reactor.call_later(self.grace, self._kill))

    def _kill(self) -> None:
        _killpg(self.pid, signal.SIGKILL)
        self._stopping = False  # killed: now only the output is awaited
        self._maybe_finish()

    def _maybe_finish(self) -> None:
        if self.done or self.exit_code is None:
            return
        if self._eof:
            self._finish()
        elif not self._stopping and self._drain is None:
            # the main process is gone but a writer outside its group holds the pipe: read what
            # comes for a bounded time, then stop waiting
            self._drain = self.reactor.call_later(2.0, self._finish)
            self._timers.append(self._drain)

    def _finish(self) -> None:
        if self.done:
            return
        self.done = True
        for timer in self._timers:
            timer.cancel()
        if not self._swept:  # stopped (SIGTERM): a child that outlived the grace goes now
            _killpg(self.pid, signal.SIGKILL)
        if not self._eof:
            lines = self._buffer.feed(_read_rest(self._fd))
            if lines:
                self._deliver(lines)
            self._close_output()
        lines = self._buffer.close()
        if lines:
            self._deliver(lines)
        self.on_done(
            ProcessOutcome(self.exit_code, timed_out=self.timed_out, cancelled=self.cancelled, pid=self.pid)
        )


def _read_rest(fd: int) -> bytes:
    """What is in the pipe now, without waiting for its writers."""
    os.set_blocking(fd, False)
    chunks = []
    with contextlib.suppress(BlockingIOError):
        while data := os.read(fd, _READ_SIZE):
            chunks.append(data)
    return b"".join(chunks)


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
    """Run ``argv`` to the end in a loop of its own; every output line (stdout and stderr, merged)
    goes to ``on_line`` masked. The runner itself watches many :class:`StepProcess` in one loop."""
    reactor = Reactor()
    outcome: list[ProcessOutcome] = []
    try:
        proc = StepProcess(
            reactor,
            argv,
            cwd=cwd,
            env=env,
            on_line=on_line,
            masker=masker,
            on_done=outcome.append,
            timeout=timeout,
            grace=grace,
            on_start=on_start,
        )
        while not outcome:
            if cancel is not None and cancel.is_set():
                proc.cancel()
            reactor.run_once(0.05)
    finally:
        reactor.close()
    return outcome[0]


def describe(argv: Sequence[str]) -> str:
    return shlex.join(argv)
