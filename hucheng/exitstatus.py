"""What a process's exit status means, in words shared by every tool that runs processes."""

from __future__ import annotations

import signal


def signal_name(signum: int) -> str | None:
    """``SIGKILL`` for 9; None for a number this platform does not name."""
    try:
        return signal.Signals(signum).name
    except ValueError:
        return None
