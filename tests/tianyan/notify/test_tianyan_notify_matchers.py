"""Alertmanager matcher syntax: the four operators, quoting, lists, anchoring, and bad input."""

from __future__ import annotations

import pytest

from tianyan.notify.matchers import MatcherSyntaxError, MatchOp, parse_matchers, parse_one


@pytest.mark.parametrize(
    ("text", "labels", "expected"),
    [
        ('service="pay"', {"service": "pay"}, True),
        ('service="pay"', {"service": "payments"}, False),
        ('service!="pay"', {"service": "web"}, True),
        ('service!="pay"', {}, True),
        ('service=~"pay|web"', {"service": "web"}, True),
        # fully anchored, as in Alertmanager
        ('service=~"pay"', {"service": "payments"}, False),
        ('service!~"pay.*"', {"service": "payments"}, False),
        ('service!~"pay.*"', {"service": "web"}, True),
        # an absent label matches as the empty string
        ('team=""', {"service": "pay"}, True),
        ("service=pay", {"service": "pay"}, True),
        ('msg="say \\"hi\\""', {"msg": 'say "hi"'}, True),
    ],
)
def test_matcher_semantics(text: str, labels: dict[str, str], expected: bool) -> None:
    assert parse_one(text).matches(labels) is expected


def test_a_braced_list_parses_every_operator() -> None:
    matchers = parse_matchers('{a="b", c=~"d.*",e!="f" ,g!~"h"}')
    assert [(m.name, m.op, m.value) for m in matchers] == [
        ("a", MatchOp.EQ, "b"),
        ("c", MatchOp.RE, "d.*"),
        ("e", MatchOp.NE, "f"),
        ("g", MatchOp.NRE, "h"),
    ]
    assert str(matchers[1]) == 'c=~"d.*"'


def test_a_value_with_a_comma_inside_quotes() -> None:
    (m,) = parse_matchers('{instance="a,b"}')
    assert m.value == "a,b"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("service", "cannot parse a matcher at character 1"),
        ('{a="b"', "missing closing"),
        ('a=~"("', "bad regular expression"),
        ("a==b", "quote the value"),
        ("", "no matcher"),
    ],
)
def test_bad_matchers_say_what_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(MatcherSyntaxError, match=fragment.replace("(", r"\(")):
        parse_matchers(text)
