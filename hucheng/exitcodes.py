"""The exit codes every hucheng command uses. Mapped from errors in one place: :mod:`cli`."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    #: a controlled "no": an alert fires, a vulnerability is at or above the threshold,
    #: a budget is broken, a pipeline failed, a doctor check the config needs is missing
    FINDINGS = 1
    #: usage, configuration or input error: the command cannot do its job with what it was given
    USAGE = 2
    #: a bug or an unexpected failure
    UNEXPECTED = 3
    #: Ctrl-C / SIGINT
    INTERRUPTED = 130
