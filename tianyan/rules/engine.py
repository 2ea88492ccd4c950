"""Evaluate rule groups at one instant: recording rules add series, alerting rules advance states.

Where the PromQL runs is a :class:`QuerySource`: :class:`LocalSource` (tianyan's stored samples,
through :class:`~tianyan.rules.evaluator.Evaluator`) or :class:`RemoteSource` (a Prometheus server).
A rule whose query fails keeps its alerts as they were (as Prometheus does) and the error is returned.
"""

from __future__ import annotations

import logging
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol

import promql_parser as pp

from tianyan.errors import QueryError, TemplateError
from tianyan.model import AlertState, Sample, fingerprint
from tianyan.rules.alerts import ActiveAlert, AlertStates, Candidate, advance_rule
from tianyan.rules.evaluator import EvalError, Evaluator, Unsupported, Vector
from tianyan.rules.rulefile import Rule, RuleGroup
from tianyan.rules.series import SeriesSet
from tianyan.rules.templates import render

log = logging.getLogger(__name__)


class QuerySource(Protocol):
    def vector(self, rule: Rule, expr: pp.Expr, text: str, now: datetime) -> Vector: ...

    def record(self, samples: Sequence[Sample]) -> None: ...


class LocalSource:
    def __init__(self, series: SeriesSet) -> None:
        self.series = series
        self.evaluator = Evaluator(series)

    def vector(self, rule: Rule, expr: pp.Expr, text: str, now: datetime) -> Vector:
        try:
            return self.evaluator.vector(expr, now.timestamp())
        except Unsupported as exc:
            raise QueryError(f"{rule.where}: {rule.name}: {exc} (tianyan rules lint names these)") from exc
        except EvalError as exc:
            raise QueryError(f"{rule.where}: {rule.name}: {exc}") from exc

    def record(self, samples: Sequence[Sample]) -> None:
        for s in samples:
            self.series.add({**s.labels, "__name__": s.name}, s.time.timestamp(), s.value)


class RemoteSource:
    """Evaluates on a Prometheus server; recorded series are not written back to it."""

    def __init__(self, url: str, timeout: float) -> None:
        self.url = url
        self.timeout = timeout

    def vector(self, rule: Rule, expr: pp.Expr, text: str, now: datetime) -> Vector:
        from tianyan.rules.remote import instant_query

        return instant_query(self.url, text, now, self.timeout)

    def record(self, samples: Sequence[Sample]) -> None:
        return None


@dataclass(frozen=True)
class EvalOutcome:
    states: AlertStates
    recorded: tuple[Sample, ...] = ()
    errors: tuple[str, ...] = ()
    skipped: bool = False  # the evaluation time was before the last one: nothing changed


@dataclass
class _Run:
    source: QuerySource
    now: datetime
    external: Mapping[str, str]
    hysteresis: Mapping[str, pp.Expr] = field(default_factory=dict)
    recorded: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _candidates(rule: Rule, vector: Vector, run: _Run) -> list[Candidate]:
    out = []
    for labels, value in vector:
        sample_labels = dict(labels)
        final = {k: v for k, v in sample_labels.items() if k != "__name__"}
        for name, template in rule.labels.items():
            final[name] = render(template, sample_labels, value, run.external)
        final["alertname"] = rule.name
        final = {k: v for k, v in final.items() if v != ""}
        annotations = {k: render(t, sample_labels, value, run.external) for k, t in rule.annotations.items()}
        out.append(Candidate(final, annotations, value))
    return out


def _alert_rule(rule: Rule, previous: dict[str, ActiveAlert], run: _Run) -> dict[str, ActiveAlert]:
    vector = run.source.vector(rule, rule.expr, rule.expr_text, run.now)
    candidates = _candidates(rule, vector, run)
    still: frozenset[str] = frozenset()
    hold_expr = run.hysteresis.get(rule.name)
    if hold_expr is not None and any(a.state == AlertState.FIRING for a in previous.values()):
        hold = run.source.vector(rule, hold_expr, str(hold_expr.prettify()), run.now)
        still = frozenset(fingerprint(c.labels) for c in _candidates(rule, hold, run))
    return advance_rule(
        rule_key(rule),
        previous,
        candidates,
        run.now,
        for_seconds=rule.for_seconds,
        keep_firing_for_seconds=rule.keep_firing_for_seconds,
        still_true=still,
    )


def _record_rule(rule: Rule, run: _Run) -> None:
    vector = run.source.vector(rule, rule.expr, rule.expr_text, run.now)
    samples = []
    for labels, value in vector:
        out = {k: v for k, v in labels if k != "__name__"}
        out.update(rule.labels)
        samples.append(Sample(rule.name, {k: v for k, v in out.items() if v}, value, run.now))
    run.source.record(samples)
    run.recorded.extend(samples)


def rule_key(rule: Rule) -> str:
    return f"{rule.group}/{rule.name}"


def evaluate(
    groups: Sequence[RuleGroup],
    source: QuerySource,
    states: AlertStates,
    now: datetime,
    *,
    external_labels: Mapping[str, str] | None = None,
    hysteresis: Mapping[str, pp.Expr] | None = None,
    due: Container[str] | None = None,
) -> EvalOutcome:
    """Every rule of ``groups`` at ``now``, in file order; returns the new states.

    ``hysteresis`` maps an alert name to a PromQL expression that keeps its firing alerts firing
    while it returns their label set (tianyan's extension: fire above 90 %, resolve below 80 %).
    ``due`` names the groups to evaluate now (``serve`` honours each group's ``interval``); the
    alerts of the other groups' rules are carried over unchanged. None: every group.
    A ``now`` earlier than the last evaluation (the clock jumped back) changes nothing: the old
    states come back with ``skipped=True``, so no alert is resolved, re-fired or forgotten.
    """
    if states.evaluated_at is not None and now < states.evaluated_at:
        log.warning(
            "rule evaluation at %s is before the last one at %s (clock jumped back); states kept as they are",
            now.isoformat(),
            states.evaluated_at.isoformat(),
        )
        return EvalOutcome(states, skipped=True)
    run = _Run(source, now, external_labels or {}, dict(hysteresis or {}))
    by_rule: dict[str, dict[str, ActiveAlert]] = {}
    for fp, alert in states.alerts.items():
        by_rule.setdefault(alert.rule, {})[fp] = alert
    new: dict[str, ActiveAlert] = {}
    for group in groups:
        for rule in group.rules:
            key = rule_key(rule)
            previous = by_rule.pop(key, {})
            if due is not None and group.name not in due:
                new.update(previous)
                continue
            try:
                if rule.is_alert:
                    new.update(_alert_rule(rule, previous, run))
                else:
                    _record_rule(rule, run)
            except (QueryError, TemplateError) as exc:
                run.errors.append(str(exc))
                new.update(previous)
    # alerts of rules no longer in any file: resolve them once rather than forget them silently
    for previous in by_rule.values():
        for fp, alert in previous.items():
            if alert.state == AlertState.FIRING:
                new[fp] = replace(alert, state=AlertState.RESOLVED, resolved_at=now)
    return EvalOutcome(AlertStates(now, new), tuple(run.recorded), tuple(run.errors))
