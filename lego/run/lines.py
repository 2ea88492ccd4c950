"""Turning a process's byte stream into whole, masked, printable lines.

Bytes are decoded incrementally as UTF-8 with replacement (binary garbage never raises), control
characters other than tab and ESC are replaced, and a line longer than ``max_chars`` is cut into
pieces. A cut never splits a secret: the buffer is only cut where no secret occurrence straddles the
cut, and the tail that could still be the start of a secret is kept for the next piece.
"""

from __future__ import annotations

import codecs
import re

from lego.run.masking import Masker

#: a line longer than this is cut into pieces of at most this many characters
MAX_LINE_CHARS = 64 * 1024
#: C0 and C1 controls except tab and ESC (colours), and the Unicode line separators
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f\u2028\u2029]")


#: carriage returns that end a line (CRLF output, a progress bar's last redraw)
_CR_AT_END = re.compile(r"\r+(?=\n|\Z)")


def printable(text: str) -> str:
    return _CONTROL.sub("\ufffd", text.rstrip("\r"))


def printable_lines(block: str) -> list[str]:
    """:func:`printable` for every line of ``block`` (lines joined by ``\n``), in two regex passes
    over the whole block instead of two per line: a step printing a million lines pays for them."""
    return _CONTROL.sub("\ufffd", _CR_AT_END.sub("", block)).split("\n")


class LineBuffer:
    """Feed bytes in, get complete masked lines out; :meth:`close` returns the unterminated rest."""

    def __init__(self, masker: Masker | None = None, max_chars: int = MAX_LINE_CHARS) -> None:
        self.masker = masker or Masker()
        self.max_chars = max_chars
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""

    def feed(self, data: bytes) -> list[str]:
        text = self._pending + self._decoder.decode(data)
        end = text.rfind("\n")
        out: list[str] = []
        if end >= 0:
            out = self._finish_block(text[:end])
            text = text[end + 1 :]
        rest = text
        if len(rest) > self.max_chars:
            # cut whole pieces off the front; keep a tail that could be the start of a secret,
            # and never cut inside a secret's occurrence
            usable = len(rest) - max(self.masker.longest - 1, 0)
            cut = self.masker.safe_cut(rest, usable // self.max_chars * self.max_chars)
            if cut > 0:
                piece, rest = rest[:cut], rest[cut:]
                out.extend(self._finish(piece))
        self._pending = rest
        return out

    def close(self) -> list[str]:
        rest = self._pending + self._decoder.decode(b"", final=True)
        self._pending = ""
        return self._finish(rest) if rest else []

    def _finish_block(self, block: str) -> list[str]:
        """:meth:`_finish` for each line of ``block`` (whole lines, without the last newline): masked
        as one text (no secret part holds a newline, so none matches across lines), made printable
        as one, and cut only where a line is longer than ``max_chars``."""
        lines = printable_lines(self.masker.mask(block))
        if max(map(len, lines)) <= self.max_chars:
            return lines
        step = self.max_chars
        return [line[i : i + step] for line in lines for i in range(0, max(len(line), 1), step)]

    def _finish(self, line: str) -> list[str]:
        """Mask first (a secret is whole here), then cut into pieces of at most ``max_chars``."""
        masked = self.masker.mask(line)
        step = self.max_chars
        if len(masked) <= step:
            return [printable(masked)]
        return [printable(masked[i : i + step]) for i in range(0, len(masked), step)]
