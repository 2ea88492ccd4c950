"""GitHub Actions' value rules: truthiness, loose equality, number and string coercion.

Values are JSON-like: None, bool, float/int, str, list, dict. The rules (from GitHub's expression
documentation):

- falsy: ``null``, ``false``, ``0``, ``-0``, ``NaN``, ``''``; everything else (arrays, objects) is truthy;
- ``==``/``!=`` and ``< <= > >=`` between different types first turn both sides into numbers
  (null → 0, true → 1, '' → 0, a non-numeric string → NaN, arrays and objects → NaN);
- strings compare ignoring case; arrays and objects are equal only when they are the same object.
"""

from __future__ import annotations

import json
import math
from typing import Any

Value = Any  # None | bool | int | float | str | list | dict


def truthy(value: Value) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return not (value == 0 or math.isnan(value))
    if isinstance(value, str):
        return value != ""
    return True


def to_number(value: Value) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return 0.0
        try:
            return float(int(text, 16)) if text.lower().startswith("0x") else float(text)
        except ValueError:
            return math.nan
    return math.nan


def to_str(value: Value) -> str:
    """How a value is written into a string (``${{ }}`` in text, ``format()``, ``join()``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=2, ensure_ascii=False)


def _primitive(value: Value) -> bool:
    return value is None or isinstance(value, (bool, int, float, str))


def loose_equal(left: Value, right: Value) -> bool:
    if not (_primitive(left) and _primitive(right)):
        return left is right
    if isinstance(left, str) and isinstance(right, str):
        return left.casefold() == right.casefold()
    if _same_kind(left, right):
        return bool(left == right)
    a, b = to_number(left), to_number(right)
    return not (math.isnan(a) or math.isnan(b)) and a == b


def compare(op: str, left: Value, right: Value) -> bool:
    if op == "==":
        return loose_equal(left, right)
    if op == "!=":
        return not loose_equal(left, right)
    if isinstance(left, str) and isinstance(right, str):
        a: Any = left.casefold()
        b: Any = right.casefold()
    else:
        a, b = to_number(left), to_number(right)
        if math.isnan(a) or math.isnan(b):
            return False
    if op == "<":
        return bool(a < b)
    if op == "<=":
        return bool(a <= b)
    if op == ">":
        return bool(a > b)
    return bool(a >= b)


def _same_kind(left: Value, right: Value) -> bool:
    def kind(v: Value) -> str:
        if v is None:
            return "null"
        if isinstance(v, bool):
            return "bool"
        if isinstance(v, (int, float)):
            return "number"
        return "string"

    return kind(left) == kind(right)
