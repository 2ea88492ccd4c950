"""``hucheng ... | head``: what to do once the reader of stdout has gone away."""

from __future__ import annotations

import os
import sys


def stdout_to_devnull() -> None:
    """Point stdout at /dev/null, so later writes and the interpreter's final flush do not fail again
    with BrokenPipeError (or print "Exception ignored ... BrokenPipeError")."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)
