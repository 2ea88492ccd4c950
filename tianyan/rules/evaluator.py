"""A local PromQL evaluator over a :class:`~tianyan.rules.series.SeriesSet` (instant queries only).

The AST comes from promql-parser (Rust, Prometheus 2.45 grammar); nothing here parses PromQL. What is
evaluated — and nothing else — is listed in docs/tianyan.md ("The local PromQL subset"); anything
outside it raises :class:`Unsupported`, which ``rules lint`` reports before any evaluation.
Semantics follow Prometheus 2.x: 5m lookback, range windows closed at both ends, ``rate`` with
extrapolation, ``__name__`` dropped by arithmetic and functions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import promql_parser as pp

from tianyan.rules.functions import RANGE_FUNCTIONS, VALUE_FUNCTIONS
from tianyan.rules.series import Labels, SeriesSet

LOOKBACK_SECONDS = 300.0
Vector = list[tuple[Labels, float]]
Value = Vector | float | str


class Unsupported(Exception):
    """A construct the local evaluator does not evaluate (named in the message)."""


class EvalError(Exception):
    """A query that Prometheus would also reject at run time (many-to-many matching, ...)."""


@dataclass(frozen=True)
class RangeSeries:
    labels: Labels
    times: list[float]
    values: list[float]


@lru_cache(maxsize=1024)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(f"(?:{pattern})\\Z", re.DOTALL)


def _matches(m: pp.Matcher, value: str) -> bool:
    op = m.op
    if op == pp.MatchOp.Equal:
        return value == m.value
    if op == pp.MatchOp.NotEqual:
        return value != m.value
    if op == pp.MatchOp.Re:
        return _regex(m.value).match(value) is not None
    return _regex(m.value).match(value) is None


def _drop_name(labels: Labels) -> Labels:
    return tuple(p for p in labels if p[0] != "__name__")


def _seconds(delta: Any) -> float:
    return 0.0 if delta is None else float(delta.total_seconds())


ARITH: dict[str, Callable[[float, float], float]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: (
        a / b
        if b != 0
        else (math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a) * math.copysign(1, b))
    ),
    "%": lambda a, b: math.fmod(a, b) if b != 0 else math.nan,
    "^": lambda a, b: math.pow(a, b) if not (a < 0 and not float(b).is_integer()) else math.nan,
    "atan2": math.atan2,
}
COMPARE: dict[str, Callable[[float, float], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
}
SET_OPS = frozenset({"and", "or", "unless"})
AGGREGATIONS = frozenset({"sum", "avg", "min", "max", "count", "topk", "bottomk"})


class Evaluator:
    """Evaluates parsed PromQL at an instant over ``series``."""

    def __init__(self, series: SeriesSet, lookback: float = LOOKBACK_SECONDS) -> None:
        self.series = series
        self.lookback = lookback

    def instant(self, expr: pp.Expr, t: float) -> Value:
        return self._eval(expr, t)

    def vector(self, expr: pp.Expr, t: float) -> Vector:
        """The result as a vector (a scalar becomes one element without labels)."""
        value = self._eval(expr, t)
        if isinstance(value, str):
            raise EvalError("the expression is a string, not a vector")
        if isinstance(value, float):
            return [((), value)]
        return value

    # -- nodes ---------------------------------------------------------------------------------------
    def _eval(self, e: pp.Expr, t: float) -> Value:
        if isinstance(e, pp.NumberLiteral):
            return float(e.val)
        if isinstance(e, pp.StringLiteral):
            return str(e.val)
        if isinstance(e, pp.ParenExpr):
            return self._eval(e.expr, t)
        if isinstance(e, pp.UnaryExpr):
            inner = self._eval(e.expr, t)
            if isinstance(inner, float):
                return -inner
            if isinstance(inner, str):
                raise EvalError("unary minus on a string")
            return [(_drop_name(lbl), -v) for lbl, v in inner]
        if isinstance(e, pp.VectorSelector):
            return self._select(e, t)
        if isinstance(e, pp.Call):
            return self._call(e, t)
        if isinstance(e, pp.AggregateExpr):
            return self._aggregate(e, t)
        if isinstance(e, pp.BinaryExpr):
            return self._binary(e, t)
        if isinstance(e, pp.MatrixSelector):
            raise Unsupported("a range vector outside a function (e.g. x[5m] alone) is not an instant result")
        if isinstance(e, pp.SubqueryExpr):
            raise Unsupported("subqueries (expr[5m:1m]) are not in the local subset")
        raise Unsupported(f"{type(e).__name__} is not in the local subset")

    def _selected(self, vs: pp.VectorSelector) -> list[Any]:
        if vs.at is not None:
            raise Unsupported("the @ modifier is not in the local subset")
        matchers = list(vs.matchers.matchers)
        if vs.matchers.or_matchers:
            raise Unsupported("'or' inside a selector's braces is not in the local subset")
        out = []
        for series in self.series.named(vs.name):
            labels = dict(series.labels)
            if all(_matches(m, labels.get(m.name, "")) for m in matchers):
                out.append(series)
        out.sort(key=lambda series: series.labels)  # the order Prometheus' storage returns them in
        return out

    def _select(self, vs: pp.VectorSelector, t: float) -> Vector:
        ref = t - _seconds(vs.offset)
        out: Vector = []
        for series in self._selected(vs):
            times, values = series.window(ref - self.lookback, ref)
            if times and values[-1] is not None:
                out.append((series.labels, float(values[-1])))
        return out

    def _matrix(self, ms: pp.MatrixSelector, t: float) -> tuple[list[RangeSeries], float, float]:
        vs = ms.vector_selector
        end = t - _seconds(vs.offset)
        start = end - _seconds(ms.range)
        out = []
        for series in self._selected(vs):
            times, values = series.window(start, end)
            pts = [(ts, v) for ts, v in zip(times, values, strict=True) if v is not None]
            if pts:
                out.append(RangeSeries(series.labels, [p[0] for p in pts], [float(p[1]) for p in pts]))
        return out, start, end

    def _call(self, e: pp.Call, t: float) -> Value:
        name = e.func.name
        args = list(e.args)
        if name in RANGE_FUNCTIONS:
            fn, takes_scalar = RANGE_FUNCTIONS[name]
            if not isinstance(args[0], pp.MatrixSelector):
                raise Unsupported(f"{name}() over a subquery or expression is not in the local subset")
            arg = self._scalar(args[1], t) if takes_scalar else 0.0
            matrix, start, end = self._matrix(args[0], t)
            out: Vector = []
            for rs in matrix:
                value = fn(rs.times, rs.values, start, end, arg)
                if value is not None:
                    out.append((_drop_name(rs.labels), value))
            return out
        if name == "time":
            return float(t)
        if name in ("absent", "absent_over_time"):
            return self._absent(name, args[0], t)
        if name == "vector":
            return [((), self._scalar(args[0], t))]
        if name == "scalar":
            vec = self._vec(args[0], t)
            return vec[0][1] if len(vec) == 1 else math.nan
        if name in VALUE_FUNCTIONS:
            fn1 = VALUE_FUNCTIONS[name]
            return [(_drop_name(lbl), fn1(v)) for lbl, v in self._vec(args[0], t)]
        if name in ("clamp_min", "clamp_max"):
            bound = self._scalar(args[1], t)
            pick = max if name == "clamp_min" else min
            return [(_drop_name(lbl), pick(v, bound)) for lbl, v in self._vec(args[0], t)]
        raise Unsupported(f"function {name}() is not in the local subset")

    def _absent(self, name: str, arg: pp.Expr, t: float) -> Vector:
        if name == "absent_over_time":
            if not isinstance(arg, pp.MatrixSelector):
                raise Unsupported("absent_over_time() over a subquery is not in the local subset")
            present = bool(self._matrix(arg, t)[0])
            vs: Any = arg.vector_selector
        else:
            present = bool(self._vec(arg, t))
            vs = arg if isinstance(arg, pp.VectorSelector) else None
        if present:
            return []
        labels: dict[str, str] = {}
        if vs is not None:
            equal = [m for m in vs.matchers.matchers if m.op == pp.MatchOp.Equal and m.name != "__name__"]
            names = [m.name for m in equal]
            labels = {m.name: m.value for m in equal if names.count(m.name) == 1}
        return [(tuple(sorted(labels.items())), 1.0)]

    def _vec(self, e: pp.Expr, t: float) -> Vector:
        value = self._eval(e, t)
        if not isinstance(value, list):
            raise EvalError(f"expected an instant vector, got {type(value).__name__}")
        return value

    def _scalar(self, e: pp.Expr, t: float) -> float:
        value = self._eval(e, t)
        if not isinstance(value, float):
            raise EvalError("expected a scalar")
        return value

    # -- aggregation ---------------------------------------------------------------------------------
    def _aggregate(self, e: pp.AggregateExpr, t: float) -> Vector:
        op = str(e.op)
        if op not in AGGREGATIONS:
            raise Unsupported(f"aggregation {op}() is not in the local subset")
        vec = self._vec(e.expr, t)
        mod = e.modifier
        by = mod is None or mod.type == pp.AggModifierType.By
        names = set(mod.labels) if mod is not None else set()

        def group_of(labels: Labels) -> Labels:
            if by:
                return tuple(p for p in labels if p[0] in names)
            return tuple(p for p in labels if p[0] not in names and p[0] != "__name__")

        groups: dict[Labels, list[tuple[Labels, float]]] = {}
        for labels, value in vec:
            groups.setdefault(group_of(labels), []).append((labels, value))
        if op in ("topk", "bottomk"):
            if e.param is None:
                raise EvalError(f"{op}() needs a parameter")
            k = int(self._scalar(e.param, t))
            out: Vector = []
            for members in groups.values():
                ranked = sorted(members, key=lambda m: m[1], reverse=op == "topk")
                out.extend(ranked[: max(k, 0)])
            return out
        result: Vector = []
        for group, members in groups.items():
            values = [v for _, v in members]
            if op == "sum":  # in input order, plain addition: Prometheus 2.x's rounding
                agg = 0.0
                for v in values:
                    agg += v
            elif op == "avg":  # Prometheus 2.x's incremental mean
                agg = 0.0
                for count, v in enumerate(values, start=1):
                    agg += v / count - agg / count
            elif op == "min":
                agg = min(values, key=lambda x: math.inf if math.isnan(x) else x)
            elif op == "max":
                agg = max(values, key=lambda x: -math.inf if math.isnan(x) else x)
            else:
                agg = float(len(values))
            result.append((group, agg))
        return result

    # -- binary operators ----------------------------------------------------------------------------
    def _binary(self, e: pp.BinaryExpr, t: float) -> Value:
        op = str(e.op)
        lhs = self._eval(e.lhs, t)
        rhs = self._eval(e.rhs, t)
        mod = e.modifier
        return_bool = bool(mod is not None and mod.return_bool)
        if isinstance(lhs, str) or isinstance(rhs, str):
            raise EvalError("binary operators do not apply to strings")
        if op in SET_OPS:
            if not isinstance(lhs, list) or not isinstance(rhs, list):
                raise EvalError(f"'{op}' needs vectors on both sides")
            return _set_op(op, lhs, rhs, mod)
        if isinstance(lhs, float) and isinstance(rhs, float):
            if op in COMPARE:
                return 1.0 if COMPARE[op](lhs, rhs) else 0.0
            return _arith(op, lhs, rhs)
        if isinstance(lhs, list) and isinstance(rhs, list):
            return _vector_vector(op, lhs, rhs, mod, return_bool)
        scalar_right = isinstance(rhs, float)
        vec = lhs if isinstance(lhs, list) else rhs
        scalar = rhs if isinstance(rhs, float) else lhs
        assert isinstance(vec, list) and isinstance(scalar, float)
        out: Vector = []
        for labels, value in vec:
            a, b = (value, scalar) if scalar_right else (scalar, value)
            if op in COMPARE:
                keep = COMPARE[op](a, b)
                if return_bool:
                    out.append((_drop_name(labels), 1.0 if keep else 0.0))
                elif keep:
                    out.append((labels, value))
            else:
                out.append((_drop_name(labels), _arith(op, a, b)))
        return out


def _arith(op: str, a: float, b: float) -> float:
    if op not in ARITH:
        raise Unsupported(f"operator {op} is not in the local subset")
    return ARITH[op](a, b)


def _signature(labels: Labels, mod: pp.BinModifier | None) -> Labels:
    matching = mod.matching if mod is not None else None
    if matching is not None and matching.type == pp.LabelModifierType.Include:
        names = set(matching.labels)
        return tuple(p for p in labels if p[0] in names)
    ignored = set(matching.labels) if matching is not None else set()
    return tuple(p for p in labels if p[0] != "__name__" and p[0] not in ignored)


def _set_op(op: str, lhs: Vector, rhs: Vector, mod: pp.BinModifier | None) -> Vector:
    right = {_signature(lbl, mod) for lbl, _ in rhs}
    if op == "and":
        return [(lbl, v) for lbl, v in lhs if _signature(lbl, mod) in right]
    if op == "unless":
        return [(lbl, v) for lbl, v in lhs if _signature(lbl, mod) not in right]
    left = {_signature(lbl, mod) for lbl, _ in lhs}
    return lhs + [(lbl, v) for lbl, v in rhs if _signature(lbl, mod) not in left]


def _vector_vector(
    op: str, lhs: Vector, rhs: Vector, mod: pp.BinModifier | None, return_bool: bool
) -> Vector:
    card = mod.card if mod is not None else pp.VectorMatchCardinality.OneToOne
    one_to_many = card == pp.VectorMatchCardinality.OneToMany
    many, one = (rhs, lhs) if one_to_many else (lhs, rhs)
    one_side: dict[Labels, tuple[Labels, float]] = {}
    for labels, value in one:
        sig = _signature(labels, mod)
        if sig in one_side:
            side = "left" if one_to_many else "right"
            raise EvalError(
                f"found duplicate series for the match group {dict(sig)} on the {side} hand-side of the "
                "operation; many-to-many matching not allowed: matching labels must be unique on one side"
            )
        one_side[sig] = (labels, value)
    matching = mod.matching if mod is not None else None
    include = list(mod.group_labels or []) if mod is not None else []
    grouped = card in (pp.VectorMatchCardinality.ManyToOne, pp.VectorMatchCardinality.OneToMany)
    seen: set[Labels] = set()
    out: Vector = []
    for labels, value in many:
        sig = _signature(labels, mod)
        match = one_side.get(sig)
        if match is None:
            continue
        other_labels, other = match
        a, b = (other, value) if one_to_many else (value, other)
        if op in COMPARE:
            keep = COMPARE[op](a, b)
            if not keep and not return_bool:
                continue
            result_value = (1.0 if keep else 0.0) if return_bool else a
        else:
            result_value = _arith(op, a, b)
        result = dict(labels)
        if op not in COMPARE or return_bool:
            result.pop("__name__", None)
        if not grouped:
            if matching is not None and matching.type == pp.LabelModifierType.Include:
                result = {k: v for k, v in result.items() if k in set(matching.labels)}
            elif matching is not None:
                for name in matching.labels:
                    result.pop(name, None)
        for name in include:
            found = dict(other_labels).get(name, "")
            if found:
                result[name] = found
            else:
                result.pop(name, None)
        key = tuple(sorted(result.items()))
        if not grouped and key in seen:
            raise EvalError(
                f"multiple matches for labels {dict(key)}: many-to-one matching needs group_left/right"
            )
        seen.add(key)
        out.append((key, result_value))
    return out


def promql_functions_used(expr: pp.Expr) -> list[str]:
    """Names of every function called in ``expr`` (for lint)."""
    names: list[str] = []

    def visit(node: pp.Expr) -> bool:
        if isinstance(node, pp.Call):
            names.append(node.func.name)
        return True

    pp.walk(expr, visit)
    return names


def check_supported(expr: pp.Expr) -> None:
    """Raise :class:`Unsupported` naming the first construct outside the local subset."""
    from tianyan.rules.functions import SUPPORTED

    problems: list[str] = []

    def visit(node: pp.Expr) -> bool:
        if isinstance(node, pp.Call) and node.func.name not in SUPPORTED:
            problems.append(f"function {node.func.name}() is not in the local subset")
        elif isinstance(node, pp.Call) and node.func.name in RANGE_FUNCTIONS:
            if not isinstance(node.args[0], pp.MatrixSelector):
                problems.append(
                    f"{node.func.name}() over a subquery or expression is not in the local subset"
                )
        elif isinstance(node, pp.AggregateExpr) and str(node.op) not in AGGREGATIONS:
            problems.append(f"aggregation {node.op}() is not in the local subset")
        elif isinstance(node, pp.SubqueryExpr):
            problems.append("subqueries (expr[5m:1m]) are not in the local subset")
        elif isinstance(node, pp.VectorSelector) and node.at is not None:
            problems.append("the @ modifier is not in the local subset")
        elif isinstance(node, pp.BinaryExpr) and str(node.op) not in (*ARITH, *COMPARE, *SET_OPS):
            problems.append(f"operator {node.op} is not in the local subset")
        return not problems

    pp.walk(expr, visit)
    if problems:
        raise Unsupported(problems[0])


def as_vector_result(value: Value) -> Sequence[tuple[Labels, float]]:
    if isinstance(value, float):
        return [((), value)]
    if isinstance(value, str):
        raise EvalError("a string result")
    return value
