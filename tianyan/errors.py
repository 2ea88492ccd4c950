"""Tianyan's errors, under :class:`hucheng.errors.HuchengError` (exit codes are mapped in cli.py).

TianyanError                 exit 2
├── CheckConfigError         a check definition is wrong
├── RuleFileError            a Prometheus rule file cannot be used (file:line, PromQL position)
├── RuleTestError            a promtool test file cannot be run (not: a test that fails)
├── RoutingConfigError       alertmanager-format routing config is wrong (unknown receiver, ...)
├── TemplateError            a message or annotation template fails
├── QueryError               a Prometheus server query failed (URL, status)
├── ChannelError             a channel could not be delivered to (kept in the outbox, retried)
└── SilenceError             a silence cannot be added or expired
"""

from __future__ import annotations

from hucheng.errors import HuchengError


class TianyanError(HuchengError):
    slug = "tianyan"


class CheckConfigError(TianyanError):
    slug = "tianyan-check-config"


class RuleFileError(TianyanError):
    slug = "tianyan-rule-file"


class RuleTestError(TianyanError):
    slug = "tianyan-rule-test"


class RoutingConfigError(TianyanError):
    slug = "tianyan-routing"


class TemplateError(TianyanError):
    slug = "tianyan-template"


class QueryError(TianyanError):
    slug = "tianyan-query"


class ChannelError(TianyanError):
    slug = "tianyan-channel"


class SilenceError(TianyanError):
    """A silence cannot be added or expired (bad matcher, bad duration, unknown id)."""

    slug = "tianyan-silence"
