"""One error tree for the whole suite.

Every controlled failure is a :class:`HuchengError`. The root command (``cli.py``) is the only place
that turns one into a message and an exit code; library code raises and never prints or exits.
Errors from third-party libraries (sqlite3, yaml, requests, ...) are translated where they enter,
with ``raise ... from``.

    HuchengError                      exit 2 unless a subclass says otherwise
    ├── UsageError                    bad arguments or flags
    ├── ConfigError                   a config file or value is wrong (file:line:col, key path)
    ├── StoreError                    the record store cannot be used
    │   ├── StoreCorruptError         the file is not a (readable) hucheng store
    │   ├── StoreVersionError         written by a newer hucheng; refuse rather than rewrite
    │   └── RecordSchemaError         a record does not fit its kind's schema
    ├── DispatchError                 a unit of work could not be run
    │   ├── WorkTimeout
    │   └── WorkCancelled
    └── MetricsError                  /metrics could not be served or a push failed

Each error carries a short ``slug`` that names the section of the docs that explains it
(``docs/errors.md#<slug>``).
"""

from __future__ import annotations

from hucheng.exitcodes import ExitCode


class HuchengError(Exception):
    """Base of every controlled error. ``str(err)`` is the one line shown to the user."""

    exit_code: ExitCode = ExitCode.USAGE
    slug: str = "error"

    def __init__(self, message: str, *, slug: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if slug is not None:
            self.slug = slug

    def __str__(self) -> str:
        return self.message

    def report_line(self) -> str:
        """The line shown on stderr: what and where, and the docs section that explains it."""
        return f"hucheng: error: {self.message} [docs/errors.md#{self.slug}]"


class UsageError(HuchengError):
    slug = "usage"


class ConfigError(HuchengError):
    slug = "config"


class StoreError(HuchengError):
    slug = "store"


class StoreCorruptError(StoreError):
    slug = "store-corrupt"


class StoreVersionError(StoreError):
    slug = "store-version"


class RecordSchemaError(StoreError):
    slug = "record-schema"


class DispatchError(HuchengError):
    slug = "dispatch"
    exit_code = ExitCode.UNEXPECTED


class WorkTimeout(DispatchError):
    slug = "work-timeout"


class WorkCancelled(DispatchError):
    slug = "work-cancelled"


class MetricsError(HuchengError):
    slug = "metrics"
