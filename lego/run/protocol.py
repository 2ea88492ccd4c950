"""The ``$LEGO_OUTPUT`` / ``$LEGO_ENV`` file protocol (the same as ``$GITHUB_OUTPUT``/``$GITHUB_ENV``).

A step appends ``key=value`` lines, or a multi-line value as::

    key<<EOF
    first line
    second line
    EOF
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from lego.errors import StepProtocolError

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def parse_protocol_file(path: Path | str) -> dict[str, str]:
    """The ``key -> value`` pairs in ``path`` (later keys win); a missing file is empty."""
    if not os.path.exists(path):  # the common case, without an exception per step
        return {}
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise StepProtocolError(f"cannot read {path}: {exc.strerror}") from exc
    return parse_protocol_text(text, str(path))


def parse_protocol_text(text: str, where: str) -> dict[str, str]:
    values: dict[str, str] = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line, lineno = lines[i], i + 1
        i += 1
        if not line.strip():
            continue
        eq, heredoc = line.find("="), line.find("<<")
        if heredoc > 0 and (eq < 0 or heredoc < eq):
            key, delimiter = line[:heredoc], line[heredoc + 2 :].strip()
            _check_key(key, where, lineno)
            if not delimiter:
                raise StepProtocolError(f"{where}:{lineno}: {key}<< needs a delimiter, e.g. {key}<<EOF")
            body: list[str] = []
            while i < len(lines) and lines[i] != delimiter:
                body.append(lines[i])
                i += 1
            if i >= len(lines):
                raise StepProtocolError(
                    f"{where}:{lineno}: no closing {delimiter!r} line for {key}<<{delimiter}; "
                    f"end the value with a line that is exactly {delimiter}"
                )
            i += 1
            values[key] = "\n".join(body)
        elif eq > 0:
            key = line[:eq]
            _check_key(key, where, lineno)
            values[key] = line[eq + 1 :]
        else:
            raise StepProtocolError(
                f"{where}:{lineno}: expected key=value or key<<DELIMITER, got {line[:60]!r}"
            )
    return values


def _check_key(key: str, where: str, lineno: int) -> None:
    if not _KEY.fullmatch(key):
        raise StepProtocolError(
            f"{where}:{lineno}: {key!r} is not a valid name "
            "(letters, digits, _ . -; not starting with a digit)"
        )
