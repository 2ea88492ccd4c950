"""promtool's input-series notation: ``1 2 3``, ``0+10x5``, ``100-1x3``, ``1x4``, ``_``, ``_x3``, ``stale``.

``a+bxn`` expands to the n+1 values a, a+b, ..., a+n*b; ``axn`` is ``a+0xn``; ``_`` is a missing sample
and ``_xn`` n of them; ``stale`` a staleness marker (``None`` here).
"""

from __future__ import annotations

import re

from tianyan.errors import RuleTestError

_NUM = r"(?:[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?Inf|[-+]?inf|NaN|nan)"
_TERM = re.compile(rf"(?P<a>{_NUM})(?:(?P<op>[-+])(?P<b>{_NUM}))?(?:x(?P<n>\d+))?")
_BLANK = re.compile(r"_(?:x(?P<n>\d+))?")

#: one step: a value, None for a staleness marker, or MISSING
MISSING = object()


def _float(text: str) -> float:
    return float(text.replace("Inf", "inf").replace("NaN", "nan"))


def expand(values: str, where: str = "values") -> list[float | object | None]:
    """One entry per step: a float, None (stale) or :data:`MISSING`."""
    out: list[float | object | None] = []
    for token in values.split():
        blank = _BLANK.fullmatch(token)
        if blank:
            out.extend([MISSING] * (int(blank.group("n")) if blank.group("n") else 1))
            continue
        if token == "stale":
            out.append(None)
            continue
        term = _TERM.fullmatch(token)
        if term is None or (term.group("op") and not term.group("n")):
            raise RuleTestError(
                f"{where}: {token!r} is not in promtool's series notation (e.g. 1 2 3, 0+10x5, _, stale)"
            )
        a = _float(term.group("a"))
        if term.group("n") is None:
            out.append(a)
            continue
        b = _float(term.group("b")) if term.group("b") else 0.0
        if term.group("op") == "-":
            b = -b
        out.extend(a + i * b for i in range(int(term.group("n")) + 1))
    return out
