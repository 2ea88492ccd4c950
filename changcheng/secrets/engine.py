"""The regular-expression engine rules are compiled with: RE2 (google-re2) by default, Python ``re``
(after :mod:`changcheng.secrets.goregex` translation) when RE2 is unavailable or asked for.

RE2 is gitleaks' own dialect (Go's regexp is RE2), runs in linear time (no catastrophic backtracking
on a crafted file) and is faster: ~29x on gitleaks' rule regexes alone over 3 MB of site-packages,
and 4-20x through the whole scanner, where the keyword prefilter spares most regex runs
(bench/README.md).
Patterns are compiled as bytes and matched against file bytes, as Go does.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any, Protocol

from changcheng.secrets.goregex import UntranslatableRegex, translate


class RegexEngine(StrEnum):
    RE2 = "re2"
    RE = "re"


class Pattern(Protocol):
    """What the scanner uses of a compiled pattern (``re.Pattern[bytes]`` and ``re2._Regexp``)."""

    def finditer(self, text: bytes) -> Any: ...

    def search(self, text: bytes) -> Any: ...


class PatternError(ValueError):
    """A pattern the engine cannot compile; the message says why."""


def re2_available() -> bool:
    try:
        import re2  # noqa: F401
    except ImportError:
        return False
    return True


def resolve_engine(engine: RegexEngine | str) -> RegexEngine:
    """``re2`` falls back to ``re`` when google-re2 is not installed."""
    wanted = RegexEngine(engine)
    return wanted if wanted is RegexEngine.RE or re2_available() else RegexEngine.RE


def compile_pattern(pattern: str, engine: RegexEngine) -> Pattern:
    """``pattern`` (Go/RE2 syntax) compiled for bytes; :class:`PatternError` when it cannot be."""
    if engine is RegexEngine.RE2:
        import re2

        options = re2.Options()
        options.log_errors = False
        try:
            compiled: Pattern = re2.compile(pattern.encode("utf-8"), options)
        except re2.error as exc:
            reason = exc.args[0] if exc.args else exc
            text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
            raise PatternError(f"RE2 rejects it: {text}") from exc
        return compiled
    try:
        python = translate(pattern)
    except UntranslatableRegex as exc:
        raise PatternError(f"cannot translate it for Python re: {exc}") from exc
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return re.compile(python.encode("utf-8"))
    except (re.error, FutureWarning, DeprecationWarning) as exc:
        raise PatternError(f"Python re rejects the translation {python!r}: {exc}") from exc
