"""Go (RE2) regular expressions translated for Python's ``re``, for when google-re2 is not the engine.

gitleaks rules are written for Go's ``regexp``. Python's ``re`` reads some of that syntax differently
or not at all; :func:`translate` rewrites it, and raises :class:`UntranslatableRegex` (with the reason)
for what has no ``re`` equivalent, so the rule is reported by id rather than dropped or mis-read:

=====================  ==========================================================================
Go                     Python ``re``
=====================  ==========================================================================
``a(?i)b|c``           ``a(?i:b)|(?i:c)`` (a flag group scopes to the end of the enclosing group)
``\\z``                ``\\Z``; ``$`` outside ``(?m)`` is ``\\Z`` too (Python's ``$`` also matches
                       before a final newline)
``\\Q a.b \\E``        ``a\\.b``
``[[:alnum:]]``        ``[a-zA-Z0-9]`` (every POSIX class; a negated one only alone in its class)
``(?<name>x)``         ``(?P<name>x)``
``\\s``                ``[\\t\\n\\f\\r ]`` (Go's ``\\s`` has no vertical tab)
``x{,3}``              ``x\\{,3\\}`` (not a repetition in Go)
``[a[b]``, ``[&&]``    every class member escaped, so Python never sees a "possible nested set"
``[\\S]``              ``[\\S]`` (inside a class Python's own; it also excludes \\v, Go's does not)
``\\pL``, ``(?U)``,    untranslatable: no ``re`` equivalent
``\\C``, octal ``\\1``
=====================  ==========================================================================

Patterns are matched against bytes (as Go matches UTF-8 bytes, ``\\w`` and ``\\d`` stay ASCII), so a
non-ASCII character inside a class cannot be expressed and is reported too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


class UntranslatableRegex(ValueError):
    """A Go regular expression with no Python ``re`` equivalent; the message says why and where."""


POSIX_CLASSES = {
    "alnum": "0-9A-Za-z",
    "alpha": "A-Za-z",
    "ascii": "\\x00-\\x7f",
    "blank": "\\t ",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": "!-/:-@\\[-`{-~",
    "space": "\\t\\n\\v\\f\\r ",
    "upper": "A-Z",
    "word": "0-9A-Za-z_",
    "xdigit": "0-9A-Fa-f",
}
#: Perl classes as Go defines them (ASCII), inside a class and as a whole class
PERL_CLASSES = {"d": "0-9", "s": "\\t\\n\\f\\r ", "w": "0-9A-Za-z_"}
_SIMPLE_ESCAPES = set("afnrtv") | {"A", "b", "B"}
_FLAG_GROUP = re.compile(r"\(\?([imsU]*(?:-[imsU]*)?)\)")
_SCOPED_GROUP = re.compile(r"\(\?([imsU]*(?:-[imsU]*)?):")
_NAMED_GROUP = re.compile(r"\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>")
_REPEAT = re.compile(r"\{(\d+)(,(\d*))?\}")


@dataclass
class _Frame:
    """One open group: scoped flag groups opened inside it (closed with it, reopened after ``|``)."""

    multiline: bool
    opened: list[str] = field(default_factory=list)


def _check_flags(flags: str, at: int) -> None:
    if "U" in flags:
        raise UntranslatableRegex(f"flag U (ungreedy) at offset {at} has no Python equivalent")


def _multiline_after(flags: str, current: bool) -> bool:
    on, _, off = flags.partition("-")
    return False if "m" in off else True if "m" in on else current


def translate(pattern: str) -> str:
    """``pattern`` (Go syntax) as a Python ``re`` pattern with the same meaning on bytes."""
    out: list[str] = []
    stack = [_Frame(multiline=False)]
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i, text = _escape(pattern, i, in_class=False)
            out.append(text)
            continue
        if c == "[":
            i, text = _char_class(pattern, i)
            out.append(text)
            continue
        if c == "(":
            i = _open_group(pattern, i, stack, out)
            continue
        if c == ")":
            if len(stack) == 1:
                raise UntranslatableRegex(f"unbalanced ')' at offset {i}")
            frame = stack.pop()
            out.append(")" * len(frame.opened) + ")")
        elif c == "|":
            frame = stack[-1]
            out.append(")" * len(frame.opened) + "|" + "".join(f"(?{f}:" for f in frame.opened))
        elif c == "{":
            m = _REPEAT.match(pattern, i)
            if m is None:
                out.append("\\{")
            else:
                if int(m.group(1)) > 1000 or (m.group(3) and int(m.group(3)) > 1000):
                    raise UntranslatableRegex(f"repeat count over 1000 at offset {i} (invalid in Go)")
                out.append(m.group(0))
                i = m.end()
                continue
        elif c == "}":
            out.append("\\}")
        elif c == "$":
            out.append("$" if stack[-1].multiline else "\\Z")
        else:
            out.append(c)
        i += 1
    if len(stack) != 1:
        raise UntranslatableRegex("missing ')' at the end")
    out.append(")" * len(stack[0].opened))
    return "".join(out)


def _open_group(pattern: str, i: int, stack: list[_Frame], out: list[str]) -> int:
    frame = stack[-1]
    if not pattern.startswith("(?", i):
        out.append("(")
        stack.append(_Frame(frame.multiline))
        return i + 1
    if m := _FLAG_GROUP.match(pattern, i):
        flags = m.group(1)
        _check_flags(flags, i)
        if flags:
            out.append(f"(?{flags}:")
            frame.opened.append(flags)
            frame.multiline = _multiline_after(flags, frame.multiline)
        return m.end()
    if m := _SCOPED_GROUP.match(pattern, i):
        _check_flags(m.group(1), i)
        out.append(m.group(0))
        stack.append(_Frame(_multiline_after(m.group(1), frame.multiline)))
        return m.end()
    if m := _NAMED_GROUP.match(pattern, i):
        out.append(f"(?P<{m.group(1)}>")
        stack.append(_Frame(frame.multiline))
        return m.end()
    raise UntranslatableRegex(f"group syntax {pattern[i : i + 4]!r} at offset {i} is not RE2")


def _codepoint_escape(pattern: str, i: int) -> tuple[int, int]:
    """``\\x{10FFFF}`` or ``\\xHH`` at ``i``: (code point, end offset)."""
    if pattern.startswith("\\x{", i):
        end = pattern.find("}", i)
        if end < 0:
            raise UntranslatableRegex(f"unterminated \\x{{ at offset {i}")
        return int(pattern[i + 3 : end], 16), end + 1
    digits = pattern[i + 2 : i + 4]
    if len(digits) != 2 or not all(ch in "0123456789abcdefABCDEF" for ch in digits):
        raise UntranslatableRegex(f"bad \\x escape at offset {i}")
    return int(digits, 16), i + 4


def _literal(cp: int, in_class: bool, at: int) -> str:
    if cp > 0x7F:
        if in_class:
            raise UntranslatableRegex(f"non-ASCII character U+{cp:04X} in a class at offset {at}")
        return re.escape(chr(cp))
    return f"\\x{cp:02x}"


def _escape(pattern: str, i: int, in_class: bool) -> tuple[int, str]:
    """The escape at ``pattern[i] == '\\'``: (end offset, Python text)."""
    if i + 1 >= len(pattern):
        raise UntranslatableRegex("trailing backslash")
    e = pattern[i + 1]
    if e == "Q" and not in_class:
        end = pattern.find("\\E", i + 2)
        literal = pattern[i + 2 :] if end < 0 else pattern[i + 2 : end]
        return (len(pattern) if end < 0 else end + 2), re.escape(literal)
    if e == "z" and not in_class:
        return i + 2, "\\Z"
    if e in PERL_CLASSES or e.lower() in PERL_CLASSES:
        members = PERL_CLASSES[e.lower()]
        if in_class:
            # a negated one is Python's own: \D and \W are exact on bytes, \S also excludes \v
            return i + 2, "\\" + e if e.isupper() else members
        return i + 2, f"[{'^' if e.isupper() else ''}{members}]"
    if e in "pP":
        raise UntranslatableRegex(f"Unicode class \\{e} at offset {i} has no Python re equivalent")
    if e == "C":
        raise UntranslatableRegex(f"\\C (any byte) at offset {i} has no Python re equivalent")
    if e == "x":
        cp, end = _codepoint_escape(pattern, i)
        return end, _literal(cp, in_class, i)
    if e.isdigit():
        if e == "0" and not pattern[i + 2 : i + 3].isdigit():
            return i + 2, "\\x00"
        raise UntranslatableRegex(f"octal or back-reference escape \\{e} at offset {i}")
    if e in _SIMPLE_ESCAPES:
        if in_class and e in "AbB":
            raise UntranslatableRegex(f"\\{e} inside a class at offset {i}")
        return i + 2, "\\" + e
    if e.isalnum():
        raise UntranslatableRegex(f"unknown escape \\{e} at offset {i}")
    return i + 2, _literal(ord(e), in_class, i) if ord(e) > 0x7F else "\\" + e


def _class_char(pattern: str, i: int) -> tuple[int, str]:
    """One member character of a class (literal or escape), as escaped Python text."""
    if pattern[i] == "\\":
        return _escape(pattern, i, in_class=True)
    c = pattern[i]
    if ord(c) > 0x7F:
        return i + 1, _literal(ord(c), True, i)
    return i + 1, c if c.isalnum() else "\\" + c


def _char_class(pattern: str, i: int) -> tuple[int, str]:
    start = i
    i += 1
    negated = pattern.startswith("^", i)
    if negated:
        i += 1
    members: list[str] = []
    first = True
    while True:
        if i >= len(pattern):
            raise UntranslatableRegex(f"unterminated class starting at offset {start}")
        c = pattern[i]
        if c == "]" and not first:
            break
        first = False
        if pattern.startswith("[:", i):
            end = pattern.find(":]", i + 2)
            name = pattern[i + 2 : end] if end > 0 else ""
            bare = name.lstrip("^")
            if bare not in POSIX_CLASSES:
                raise UntranslatableRegex(f"unknown POSIX class [:{name}:] at offset {i}")
            if name.startswith("^"):
                alone = pattern.startswith("]", end + 2) and not members and start + 1 == i
                if not alone or negated:
                    raise UntranslatableRegex(f"negated POSIX class [:{name}:] mixed in a class at {i}")
                negated = True
            members.append(POSIX_CLASSES[bare])
            i = end + 2
            continue
        i, lo = _class_char(pattern, i)
        if pattern.startswith("-", i) and i + 1 < len(pattern) and pattern[i + 1] != "]":
            i, hi = _class_char(pattern, i + 1)
            members.append(f"{lo}-{hi}")
        else:
            members.append(lo)
    return i + 1, "[" + ("^" if negated else "") + "".join(members) + "]"
