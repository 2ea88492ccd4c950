"""``hucheng ... | head``, a terminal that hung up: what to do once the reader of a stream has gone away."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import IO, Any


def stdout_to_devnull() -> None:
    """Point stdout at /dev/null, so later writes and the interpreter's final flush do not fail again
    with BrokenPipeError (or print "Exception ignored ... BrokenPipeError")."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)


class GuardedStream:
    """A text stream whose reader may go away (a hung-up terminal, a closed pipe): the first failed
    write or flush calls ``on_closed`` and every later one is dropped, so the run can stop its jobs and
    be recorded instead of dying of EIO mid-run. Everything else is the wrapped stream's."""

    def __init__(self, stream: IO[str], on_closed: Callable[[], None]) -> None:
        self.stream = stream
        self.on_closed = on_closed
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                return self.stream.write(text)
            except (OSError, ValueError):
                self._went_away()
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self.stream.flush()
            except (OSError, ValueError):
                self._went_away()

    def _went_away(self) -> None:
        self.gone = True
        self.on_closed()

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, encoding: rich asks for them
        return getattr(self.stream, name)
