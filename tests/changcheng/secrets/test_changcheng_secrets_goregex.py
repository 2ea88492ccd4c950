"""Go/RE2 syntax translated for Python re: each case agrees with RE2 itself on sample inputs."""

from __future__ import annotations

import re

import pytest

from changcheng.secrets.engine import PatternError, RegexEngine, compile_pattern
from changcheng.secrets.goregex import UntranslatableRegex, translate

re2 = pytest.importorskip("re2")

CASES: list[tuple[str, list[bytes]]] = [
    (r"a(?i)b|c", [b"aB", b"C", b"ab", b"Ab", b"xc"]),
    (r"key=(?i)[a-z]{3}\b", [b"key=ABC", b"KEY=abc", b"key=abcd"]),
    (r"\bp8e-(?i)[a-z0-9]{4}(?:x|$)", [b"p8e-AB12", b"p8e-ab12\n", b"p8e-ab12x"]),
    (r"end\z", [b"the end", b"the end\n"]),
    (r"end$", [b"the end", b"the end\n"]),
    (r"(?m)^end$", [b"the end\nend\nx"]),
    (r"\Qa.b*\E+", [b"a.b**", b"axb"]),
    (r"pat[[:alnum:]]{3}\.", [b"patAb9.", b"pat_b9."]),
    (r"[[:^digit:]]+", [b"ab12cd"]),
    (r"(?P<one>x)(?<two>y)", [b"xy"]),
    (r"x{,3}", [b"x{,3}", b"xxx"]),
    (r"[a[]+", [b"a[a["]),
    (r"[&&~~]+", [b"&&~~"]),
    (r"a\sb", [b"a b", b"a\x0bb"]),
    (r"(?s:a.b)", [b"a\nb"]),
    (r"(?i)A(?-i:b)", [b"aB", b"ab"]),
]


@pytest.mark.parametrize(("pattern", "inputs"), CASES)
def test_translation_agrees_with_re2(pattern: str, inputs: list[bytes]) -> None:
    ours = re.compile(translate(pattern).encode())
    theirs = re2.compile(pattern.encode())
    for text in inputs:
        assert [m.span() for m in ours.finditer(text)] == [m.span() for m in theirs.finditer(text)], text


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"\pL+", "Unicode class"),
        (r"(?U)a+", "ungreedy"),
        (r"a\C", "any byte"),
        (r"(a)\1", "back-reference"),
        (r"[[:alpha:][:^digit:]]", "negated POSIX"),
        (r"a(?=b)", "group syntax"),
        (r"[é]", "non-ASCII"),
    ],
)
def test_untranslatable_is_reported_with_a_reason(pattern: str, reason: str) -> None:
    with pytest.raises(UntranslatableRegex, match=reason):
        translate(pattern)


def test_engines_report_what_they_cannot_compile() -> None:
    with pytest.raises(PatternError, match="RE2 rejects"):
        compile_pattern("a(", RegexEngine.RE2)
    with pytest.raises(PatternError, match="cannot translate"):
        compile_pattern(r"\pL", RegexEngine.RE)
