"""PromQL functions of the local evaluator, computed as Prometheus 2.x computes them.

Each takes the samples of one series in a range (times in seconds, values without staleness markers)
and returns one value, or None for "no result for this series".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

Points = tuple[Sequence[float], Sequence[float]]
RangeFn = Callable[[Sequence[float], Sequence[float], float, float, float], float | None]


def extrapolated_rate(
    times: Sequence[float], values: Sequence[float], start: float, end: float, *, counter: bool, rate: bool
) -> float | None:
    """rate()/increase()/delta(): Prometheus' extrapolatedRate over ``[start, end]``."""
    if len(times) < 2:
        return None
    result = values[-1] - values[0]
    if counter:
        last = values[0]
        for v in values[1:]:
            if v < last:
                result += last
            last = v
    # as Prometheus: integer milliseconds, then seconds, then one factor (same float rounding)
    first_ms, last_ms = round(times[0] * 1000), round(times[-1] * 1000)
    start_ms, end_ms = round(start * 1000), round(end * 1000)
    to_start = (first_ms - start_ms) / 1000
    to_end = (end_ms - last_ms) / 1000
    sampled = (last_ms - first_ms) / 1000
    if sampled <= 0:
        return None
    average = sampled / (len(times) - 1)
    if counter and result > 0 and values[0] >= 0:
        to_zero = sampled * (values[0] / result)
        to_start = min(to_start, to_zero)
    threshold = average * 1.1
    interval = sampled
    interval += to_start if to_start < threshold else average / 2
    interval += to_end if to_end < threshold else average / 2
    factor = interval / sampled
    if rate:
        factor /= (end_ms - start_ms) / 1000
    return result * factor


def rate(t: Sequence[float], v: Sequence[float], start: float, end: float, arg: float) -> float | None:
    return extrapolated_rate(t, v, start, end, counter=True, rate=True)


def increase(t: Sequence[float], v: Sequence[float], start: float, end: float, arg: float) -> float | None:
    return extrapolated_rate(t, v, start, end, counter=True, rate=False)


def delta(t: Sequence[float], v: Sequence[float], start: float, end: float, arg: float) -> float | None:
    return extrapolated_rate(t, v, start, end, counter=False, rate=False)


def irate(t: Sequence[float], v: Sequence[float], start: float, end: float, arg: float) -> float | None:
    if len(t) < 2:
        return None
    dt = t[-1] - t[-2]
    if dt <= 0:
        return None
    dv = v[-1] if v[-1] < v[-2] else v[-1] - v[-2]
    return dv / dt


def avg_over_time(
    t: Sequence[float], v: Sequence[float], start: float, end: float, arg: float
) -> float | None:
    return sum(v) / len(v) if v else None


def max_over_time(
    t: Sequence[float], v: Sequence[float], start: float, end: float, arg: float
) -> float | None:
    if not v:
        return None
    return max(v, key=lambda x: -math.inf if math.isnan(x) else x)


def min_over_time(
    t: Sequence[float], v: Sequence[float], start: float, end: float, arg: float
) -> float | None:
    if not v:
        return None
    return min(v, key=lambda x: math.inf if math.isnan(x) else x)


def sum_over_time(
    t: Sequence[float], v: Sequence[float], start: float, end: float, arg: float
) -> float | None:
    return sum(v) if v else None


def count_over_time(
    t: Sequence[float], v: Sequence[float], start: float, end: float, arg: float
) -> float | None:
    return float(len(v)) if v else None


def last_over_time(
    t: Sequence[float], v: Sequence[float], start: float, end: float, arg: float
) -> float | None:
    return v[-1] if v else None


def predict_linear(
    t: Sequence[float], v: Sequence[float], start: float, end: float, arg: float
) -> float | None:
    """Least squares over the range, intercept at the evaluation time ``end``, then ``arg`` s ahead."""
    if len(t) < 2:
        return None
    n = float(len(t))
    sum_x = sum_y = sum_xy = sum_x2 = 0.0
    const_y = all(y == v[0] for y in v)
    for x_t, y in zip(t, v, strict=True):
        x = x_t - end
        sum_x += x
        sum_y += y
        sum_xy += x * y
        sum_x2 += x * x
    if const_y:
        return v[0]
    cov_xy = sum_xy - sum_x * sum_y / n
    var_x = sum_x2 - sum_x * sum_x / n
    slope = cov_xy / var_x
    intercept = sum_y / n - slope * sum_x / n
    return slope * arg + intercept


#: range-vector functions: name -> (function, takes a scalar second argument)
RANGE_FUNCTIONS: dict[str, tuple[RangeFn, bool]] = {
    "rate": (rate, False),
    "irate": (irate, False),
    "increase": (increase, False),
    "delta": (delta, False),
    "avg_over_time": (avg_over_time, False),
    "max_over_time": (max_over_time, False),
    "min_over_time": (min_over_time, False),
    "sum_over_time": (sum_over_time, False),
    "count_over_time": (count_over_time, False),
    "last_over_time": (last_over_time, False),
    "predict_linear": (predict_linear, True),
}

#: functions of an instant vector, value by value
VALUE_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "abs": abs,
    "ceil": lambda x: float(math.ceil(x)) if math.isfinite(x) else x,
    "floor": lambda x: float(math.floor(x)) if math.isfinite(x) else x,
    "exp": math.exp,
    "sqrt": lambda x: math.sqrt(x) if x >= 0 else math.nan,
}

#: every function the local evaluator knows (anything else is a lint error naming it)
SUPPORTED = frozenset(
    [*RANGE_FUNCTIONS, *VALUE_FUNCTIONS, "absent", "absent_over_time", "time", "vector", "scalar"]
).union(["clamp_min", "clamp_max"])
