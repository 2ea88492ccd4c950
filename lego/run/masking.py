"""Secret masking: every value of a secret, and every line of a multi-line secret, becomes ``***``.

Masking works on whole lines (see :mod:`lego.run.lines`), never on raw chunks of a pipe, so a secret
that a process writes in two ``write()`` calls is still found.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping

log = logging.getLogger(__name__)

MASK = "***"
#: shorter values are not masked: masking "1" or "ab" would make every log unreadable
MIN_SECRET_LENGTH = 3


class Masker:
    """Replaces secret values in text. Built once per run from the secrets' values."""

    def __init__(self, values: Mapping[str, str] | Iterable[str] = ()) -> None:
        """``values``: the secrets by name (named in the warning about a short one), or just values."""
        named = values.items() if isinstance(values, Mapping) else (("a secret", v) for v in values)
        parts: set[str] = set()
        short: list[str] = []
        for name, value in named:
            for line in value.splitlines() or [value]:
                piece = line.strip()
                if len(piece) >= MIN_SECRET_LENGTH:
                    parts.add(piece)
                elif piece and name not in short:
                    short.append(name)
        for name in short:
            log.warning(
                "secret %s: a value (or a line of it) shorter than %d characters is not masked",
                name,
                MIN_SECRET_LENGTH,
            )
        ordered = sorted(parts, key=len, reverse=True)  # longest first: no partial masks
        self.longest = len(ordered[0]) if ordered else 0
        self._pattern = re.compile("|".join(re.escape(p) for p in ordered)) if ordered else None

    def __bool__(self) -> bool:
        return self._pattern is not None

    def mask(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(MASK, text)

    def safe_cut(self, text: str, cut: int) -> int:
        """A cut position at or after ``cut`` that splits no secret occurrence in ``text``."""
        if self._pattern is None:
            return cut
        for match in self._pattern.finditer(text, max(0, cut - self.longest)):
            if match.start() < cut < match.end():
                return match.end()
            if match.start() >= cut:
                break
        return cut
