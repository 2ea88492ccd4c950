"""One round of tianyan: run the checks, store their samples, evaluate the rules with the states of
the last round, hand alerts to the sink (the notify pipeline), store the new states.

Used by ``tianyan check --once`` (cron), the ``serve`` scheduler and ``hucheng run``.
Order matters for restart safety: the sink gets the alerts before the new states are stored, so a
crash in between re-sends (the notify log de-duplicates) rather than forgets.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import promql_parser as pp

from hucheng.durations import parse_duration
from hucheng.store import Store
from tianyan.checks.base import CheckBase, CheckResult
from tianyan.checks.runner import run_checks
from tianyan.config import TianyanConfig
from tianyan.errors import CheckConfigError, RuleFileError
from tianyan.model import Alert, AlertSink
from tianyan.rules.alerts import AlertStates, to_send
from tianyan.rules.engine import EvalOutcome, LocalSource, QuerySource, RemoteSource, evaluate
from tianyan.rules.evaluator import LOOKBACK_SECONDS
from tianyan.rules.rulefile import RuleGroup, load_rule_files, parse_expr
from tianyan.rules.statestore import load_states, save_states
from tianyan.samples import load_series, prune, save_recorded, save_results

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RoundReport:
    time: datetime
    results: tuple[CheckResult, ...]
    states: AlertStates
    sent: tuple[Alert, ...]
    errors: tuple[str, ...] = ()
    skipped: bool = False
    pruned: int = 0
    rules: int = 0

    @property
    def firing(self) -> int:
        return len(self.states.firing())


def _window(groups: Sequence[RuleGroup], extra: Sequence[pp.Expr] = ()) -> float:
    """Seconds of history the local evaluator needs: the longest range plus offset, plus lookback."""
    longest = 0.0

    def visit(node: pp.Expr) -> bool:
        nonlocal longest
        if isinstance(node, pp.MatrixSelector):
            offset = node.vector_selector.offset
            span = node.range.total_seconds() + (offset.total_seconds() if offset else 0.0)
            longest = max(longest, span)
        elif isinstance(node, pp.VectorSelector) and node.offset:
            longest = max(longest, node.offset.total_seconds())
        return True

    for group in groups:
        for rule in group.rules:
            pp.walk(rule.expr, visit)
    for expr in extra:
        pp.walk(expr, visit)
    return longest + LOOKBACK_SECONDS


@dataclass
class Monitor:
    config: TianyanConfig
    store: Store
    sink: AlertSink | None = None
    groups: list[RuleGroup] = field(default_factory=list)
    hysteresis: dict[str, pp.Expr] = field(default_factory=dict)
    _all: list[CheckBase] | None = field(default=None, repr=False)

    @classmethod
    def build(cls, config: TianyanConfig, store: Store, sink: AlertSink | None = None) -> Monitor:
        groups = load_rule_files([Path(p) for p in config.rules.files])
        hysteresis = {
            name: parse_expr(text, "tianyan.rules.keep_firing_while", None, f"alert {name!r}")
            for name, text in config.rules.keep_firing_while.items()
        }
        alerts = {r.name for g in groups for r in g.rules if r.is_alert}
        for name in hysteresis:
            if name not in alerts:
                raise RuleFileError(
                    f"tianyan.rules.keep_firing_while: no alerting rule is named {name!r} in "
                    f"{', '.join(str(p) for p in config.rules.files) or '(no rule files)'}"
                )
        return cls(config, store, sink, groups, hysteresis)

    def all_checks(self) -> list[CheckBase]:
        """``tianyan.checks`` plus those of ``tianyan.checks_files``; names must be unique."""
        from tianyan.checks.files import load_checks_files

        if self._all is None:
            found: list[CheckBase] = [*self.config.checks, *load_checks_files(self.config.checks_files)]
            seen: set[str] = set()
            for check in found:
                if check.name in seen:
                    raise CheckConfigError(f"two checks are named {check.name!r}; check names must be unique")
                seen.add(check.name)
            self._all = found
        return self._all

    def checks(self, names: Sequence[str] = ()) -> list[CheckBase]:
        known = {c.name: c for c in self.all_checks()}
        for name in names:
            if name not in known:
                import difflib

                close = difflib.get_close_matches(name, list(known), n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(known) or '(none)'}"
                raise CheckConfigError(f"no check named {name!r} in tianyan.checks; {hint}")
        return [known[n] for n in names] if names else list(known.values())

    def run_checks(self, checks: Sequence[CheckBase]) -> list[CheckResult]:
        results = run_checks(
            checks,
            concurrency=self.config.concurrency,
            jitter_seconds=parse_duration(self.config.jitter).total_seconds(),
        )
        save_results(self.store, results)
        return results

    def source(self, now: datetime) -> QuerySource:
        rules = self.config.rules
        if rules.prometheus_url:
            return RemoteSource(rules.prometheus_url, parse_duration(rules.query_timeout).total_seconds())
        window = timedelta(seconds=_window(self.groups, list(self.hysteresis.values())))
        return LocalSource(load_series(self.store, now - window, now))

    def evaluate(self, now: datetime, due: Sequence[str] | None = None) -> EvalOutcome:
        """The rule groups named in ``due`` (all when None) at ``now``; states carried over."""
        previous = load_states(self.store)
        outcome = evaluate(
            self.groups,
            self.source(now),
            previous,
            now,
            external_labels=self.config.rules.external_labels,
            hysteresis=self.hysteresis,
            due=None if due is None else frozenset(due),
        )
        if outcome.skipped:
            return outcome
        if self.sink is not None:
            self.sink.process(to_send(outcome.states), now)
        if not self.config.rules.prometheus_url:
            save_recorded(self.store, outcome.recorded, now)
        save_states(self.store, outcome.states)
        for error in outcome.errors:
            log.warning("rule evaluation: %s", error)
        return outcome

    def round(self, now: datetime | None = None, *, checks: Sequence[CheckBase] | None = None) -> RoundReport:
        """Checks (all, or ``checks``), then rules at ``now`` (default: when the checks are done, so
        their samples are in the window); old samples and states pruned."""
        results = self.run_checks(self.checks() if checks is None else checks)
        now = now or datetime.now(UTC)
        outcome = self.evaluate(now)
        pruned = prune(self.store, now, parse_duration(self.config.retention))
        sent = tuple(to_send(outcome.states)) if not outcome.skipped else ()
        return RoundReport(
            now,
            tuple(results),
            outcome.states,
            sent,
            outcome.errors,
            outcome.skipped,
            pruned,
            sum(len(g.rules) for g in self.groups),
        )
