"""Run promtool's rule unit-test files (``promtool test rules``) with the local evaluator.

Format: ``rule_files``, ``evaluation_interval``, ``tests`` with ``interval``, ``input_series``
(promtool series notation), ``external_labels``, ``alert_rule_test`` (``eval_time``, ``alertname``,
``exp_alerts`` with ``exp_labels``/``exp_annotations``) and ``promql_expr_test`` (``expr``,
``eval_time``, ``exp_samples``). As promtool does, rules are evaluated every ``evaluation_interval``
from 0 up to the last eval_time, and an alert test at eval_time T sees the state of the last
evaluation at or before T; only firing alerts count.
"""

from __future__ import annotations

import glob
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import promql_parser as pp
import yaml

from hucheng.durations import parse_duration
from tianyan.errors import RuleFileError, RuleTestError
from tianyan.rules.alerts import AlertStates
from tianyan.rules.engine import LocalSource, evaluate
from tianyan.rules.evaluator import EvalError, Evaluator, Unsupported, check_supported
from tianyan.rules.rulefile import RuleGroup, load_rule_files
from tianyan.rules.series import SeriesSet
from tianyan.rules.seriesnotation import MISSING, expand

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_TEST_KEYS = {"interval", "input_series", "alert_rule_test", "promql_expr_test", "external_labels", "name"}
_TOP_KEYS = {"rule_files", "evaluation_interval", "group_eval_order", "tests"}


@dataclass(frozen=True)
class Failure:
    test: str
    what: str  # "alertname: X, time: 10m" or "expr: ..., time: 5m"
    expected: list[str]
    got: list[str]
    error: str = ""

    def diff(self) -> list[str]:
        if self.error:
            return [f"{self.what}: {self.error}"]
        lines = [f"{self.what}:"]
        lines += [f"  - {e}" for e in self.expected if e not in self.got]
        lines += [f"  + {g}" for g in self.got if g not in self.expected]
        return lines


@dataclass(frozen=True)
class FileResult:
    file: Path
    tests: int
    checks: int
    failures: tuple[Failure, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return not self.failures


def _seconds(text: Any, where: str) -> float:
    value = str(text).strip()
    if value == "0":
        return 0.0
    try:
        return parse_duration(value).total_seconds()
    except ValueError as exc:
        raise RuleTestError(f"{where}: {exc}") from None


def _labels_text(labels: Mapping[str, str]) -> str:
    return "{" + ", ".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}"


def _parse_series(text: str, where: str) -> dict[str, str]:
    if text.strip() in ("", "{}"):
        return {}
    try:
        expr = pp.parse(text)
    except ValueError as exc:
        raise RuleTestError(f"{where}: series {text!r}: {exc}") from None
    if not isinstance(expr, pp.VectorSelector):
        raise RuleTestError(f'{where}: series {text!r} is not a series selector like up{{job="a"}}')
    labels = {m.name: m.value for m in expr.matchers.matchers}
    if expr.name:
        labels["__name__"] = expr.name
    return labels


def _load_series(test: Mapping[str, Any], interval: float, where: str) -> SeriesSet:
    series = SeriesSet()
    for i, item in enumerate(test.get("input_series") or []):
        here = f"{where} input_series[{i}]"
        labels = _parse_series(str(item.get("series", "")), here)
        for step, value in enumerate(expand(str(item.get("values", "")), here)):
            if value is MISSING:
                continue
            series.add(labels, step * interval, value if value is None else float(value))  # type: ignore[arg-type]
    return series


def _fmt_value(v: float) -> str:
    from tianyan.rules.templates import go_float

    return go_float(v)


def _close(a: float, b: float) -> bool:
    if math.isnan(a) and math.isnan(b):
        return True
    return a == b or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def run_test_file(path: Path) -> FileResult:
    """Run every test in one promtool test file. Raises :class:`RuleTestError` when the file cannot be
    run (bad YAML, missing rule file, a rule outside the local subset); a failing test is a Failure."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise RuleTestError(f"{path}: cannot read the test file: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise RuleTestError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(doc, dict):
        raise RuleTestError(f"{path}: a promtool test file is a mapping with rule_files and tests")
    for key in doc:
        if key not in _TOP_KEYS:
            raise RuleTestError(f"{path}: unknown key {key!r} (expected {', '.join(sorted(_TOP_KEYS))})")
    rule_paths: list[Path] = []
    for pattern in doc.get("rule_files") or []:
        full = pattern if Path(pattern).is_absolute() else str(path.parent / pattern)
        matched = sorted(glob.glob(full))
        if not matched:
            raise RuleTestError(f"{path}: rule file {pattern!r} not found (relative to {path.parent})")
        rule_paths += [Path(m) for m in matched]
    try:
        groups = load_rule_files(rule_paths)
        for group in groups:
            for rule in group.rules:
                check_supported(rule.expr)
    except Unsupported as exc:
        raise RuleTestError(f"{path}: {exc}; `tianyan rules lint` shows where") from exc
    except RuleFileError as exc:
        raise RuleTestError(f"{path}: {exc}") from exc
    eval_interval = _seconds(doc.get("evaluation_interval", "1m"), f"{path}: evaluation_interval")
    failures: list[Failure] = []
    checks = 0
    tests = doc.get("tests") or []
    for index, test in enumerate(tests):
        name = str(test.get("name") or f"test {index + 1}")
        where = f"{path}: {name}"
        for key in test:
            if key not in _TEST_KEYS:
                raise RuleTestError(
                    f"{where}: unknown key {key!r} (expected {', '.join(sorted(_TEST_KEYS))})"
                )
        n, fails = _run_test(test, groups, eval_interval, where, name)
        checks += n
        failures += fails
    return FileResult(path, len(tests), checks, tuple(failures))


def _run_test(
    test: Mapping[str, Any], groups: list[RuleGroup], eval_interval: float, where: str, name: str
) -> tuple[int, list[Failure]]:
    interval = _seconds(test.get("interval", "1m"), f"{where}: interval")
    series = _load_series(test, interval, where)
    source = LocalSource(series)
    external = {str(k): str(v) for k, v in (test.get("external_labels") or {}).items()}
    alert_tests = list(test.get("alert_rule_test") or [])
    expr_tests = list(test.get("promql_expr_test") or [])
    alert_times = sorted({_seconds(a.get("eval_time", 0), f"{where}: eval_time") for a in alert_tests})
    expr_times = [_seconds(e.get("eval_time", 0), f"{where}: eval_time") for e in expr_tests]
    maxt = max([0.0, *alert_times, *expr_times])
    states = AlertStates()
    snapshots: dict[float, AlertStates] = {}
    steps = int(maxt // eval_interval) + 1
    for step in range(steps):
        ts = step * eval_interval
        now = EPOCH + timedelta(seconds=ts)
        outcome = evaluate(groups, source, states, now, external_labels=external)
        if outcome.errors:
            raise RuleTestError(f"{where}: at {ts:g}s: {outcome.errors[0]}")
        states = outcome.states
        for t in alert_times:
            if ts <= t < ts + eval_interval:
                snapshots[t] = states
    failures: list[Failure] = []
    for a in alert_tests:
        t = _seconds(a.get("eval_time", 0), f"{where}: eval_time")
        alertname = str(a.get("alertname", ""))
        expected = sorted(
            _labels_text(
                {**{str(k): str(v) for k, v in (e.get("exp_labels") or {}).items()}, "alertname": alertname}
            )
            + " "
            + _labels_text({str(k): str(v) for k, v in (e.get("exp_annotations") or {}).items()})
            for e in (a.get("exp_alerts") or [])
        )
        snap = snapshots.get(t, AlertStates())
        got = sorted(
            _labels_text(x.labels) + " " + _labels_text(x.annotations)
            for x in snap.firing()
            if x.labels.get("alertname") == alertname
        )
        if expected != got:
            failures.append(Failure(name, f"alertname: {alertname}, time: {_dur(t)}", expected, got))
    evaluator = Evaluator(series)
    for e, t in zip(expr_tests, expr_times, strict=True):
        expr_text = str(e.get("expr", ""))
        what = f"expr: {expr_text!r}, time: {_dur(t)}"
        try:
            parsed = pp.parse(expr_text)
            check_supported(parsed)
            vector = evaluator.vector(parsed, t)
        except (ValueError, Unsupported, EvalError) as exc:
            failures.append(Failure(name, what, [], [], error=str(exc)))
            continue
        exp = []
        for s in e.get("exp_samples") or []:
            labels = (
                _parse_series(str(s.get("labels", "{}")), f"{where}: exp_samples") if s.get("labels") else {}
            )
            exp.append((labels, float(s.get("value", 0))))
        got_pairs = [(dict(lbl), v) for lbl, v in vector]
        ok = len(exp) == len(got_pairs) and all(
            any(gl == el and _close(gv, ev) for gl, gv in got_pairs) for el, ev in exp
        )
        if not ok:
            exp_text = sorted(f"{_labels_text(lbl)} {_fmt_value(v)}" for lbl, v in exp)
            got_text = sorted(f"{_labels_text(lbl)} {_fmt_value(v)}" for lbl, v in got_pairs)
            failures.append(Failure(name, what, exp_text, got_text))
    return len(alert_tests) + len(expr_tests), failures


def _dur(seconds: float) -> str:
    from hucheng.durations import format_duration

    return format_duration(timedelta(seconds=seconds))
