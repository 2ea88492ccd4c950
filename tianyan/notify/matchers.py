"""Alertmanager's label matchers: ``name="v"``, ``!=``, ``=~``, ``!~``, and ``{a="b",c=~"d"}`` lists.

Regular expressions are fully anchored, as in Alertmanager (``=~"pay"`` matches only ``pay``).
A label that is absent matches as the empty string (``foo=""`` matches alerts without ``foo``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class MatchOp(StrEnum):
    EQ = "="
    NE = "!="
    RE = "=~"
    NRE = "!~"


_NAME = r"[A-Za-z_][A-Za-z0-9_]*|\"(?:[^\"\\]|\\.)*\""
_ONE = re.compile(
    rf"\s*(?P<name>{_NAME})\s*(?P<op>=~|!~|!=|=)\s*"
    r"(?P<value>\"(?:[^\"\\]|\\.)*\"|[^,}\"]*?)\s*(?:,|$)"
)


class MatcherSyntaxError(ValueError):
    """A matcher text cannot be parsed; callers add the file and line."""


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] == '"':
        body = text[1:-1]
        return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)
    return text


@dataclass(frozen=True)
class Matcher:
    name: str
    op: MatchOp
    value: str
    _regex: re.Pattern[str] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.op in (MatchOp.RE, MatchOp.NRE):
            try:
                object.__setattr__(self, "_regex", re.compile(f"^(?:{self.value})$", re.DOTALL))
            except re.error as exc:
                raise MatcherSyntaxError(
                    f"bad regular expression {self.value!r} for {self.name}: {exc}"
                ) from exc

    def matches(self, labels: Mapping[str, str]) -> bool:
        actual = labels.get(self.name, "")
        if self.op is MatchOp.EQ:
            return actual == self.value
        if self.op is MatchOp.NE:
            return actual != self.value
        assert self._regex is not None
        found = self._regex.match(actual) is not None
        return found if self.op is MatchOp.RE else not found

    def __str__(self) -> str:
        escaped = self.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'{self.name}{self.op.value}"{escaped}"'


def parse_matchers(text: str) -> list[Matcher]:
    """Parse one matcher (``service="pay"``) or a list (``{a="b", c=~"d.*"}``, ``a=b,c!=d``)."""
    s = text.strip()
    if s.startswith("{"):
        if not s.endswith("}"):
            raise MatcherSyntaxError(f"{text!r}: missing closing '}}'")
        s = s[1:-1].strip()
    if not s:
        raise MatcherSyntaxError(f'{text!r}: no matcher; expected e.g. service="pay"')
    out: list[Matcher] = []
    pos = 0
    while pos < len(s):
        m = _ONE.match(s, pos)
        if m is None or m.end() == pos:
            raise MatcherSyntaxError(
                f"{text!r}: cannot parse a matcher at character {pos + 1}; "
                'expected name="value" with one of = != =~ !~'
            )
        value = m.group("value")
        if value.startswith(("=", "~")):
            raise MatcherSyntaxError(f"{text!r}: unexpected {value[0]!r} after the operator; quote the value")
        out.append(Matcher(_unquote(m.group("name")), MatchOp(m.group("op")), _unquote(value.strip())))
        pos = m.end()
    return out


def parse_one(text: str) -> Matcher:
    matchers = parse_matchers(text)
    if len(matchers) != 1:
        raise MatcherSyntaxError(f"{text!r}: expected one matcher, got {len(matchers)}")
    return matchers[0]


def matches_all(matchers: Sequence[Matcher], labels: Mapping[str, str]) -> bool:
    return all(m.matches(labels) for m in matchers)


def matchers_text(matchers: Sequence[Matcher]) -> str:
    return "{" + ",".join(str(m) for m in matchers) + "}"
