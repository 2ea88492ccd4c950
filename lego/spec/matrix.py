"""Matrix expansion with GitHub Actions' rules.

1. The cartesian product of every dimension (keys other than ``include``/``exclude``/``max-parallel``/
   ``fail-fast``), in the order written.
2. ``exclude``: drop each combination that matches every key/value of an exclude entry (partial
   entries match more).
3. ``include``: an entry is added to every combination whose *original* values it does not contradict
   (values it adds may overwrite values added by an earlier include); an entry that fits no
   combination becomes a combination of its own.

Values are text as written (``3.10`` stays ``"3.10"``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from lego.spec.yamldoc import scalar_text

RESERVED = ("include", "exclude", "max-parallel", "fail-fast")


class MatrixError(ValueError):
    """The matrix is malformed; the message names the key. The caller adds the position."""


@dataclass(frozen=True)
class MatrixSettings:
    combinations: tuple[dict[str, str], ...]  # () when the job has no matrix
    max_parallel: int | None
    fail_fast: bool


def expand(matrix: dict[str, Any]) -> MatrixSettings:
    if not matrix:
        return MatrixSettings((), None, True)
    dims: dict[str, list[str]] = {}
    for key, values in matrix.items():
        if key in RESERVED:
            continue
        if not isinstance(values, list) or not values:
            raise MatrixError(f"matrix.{key}: expected a non-empty list of values, got {values!r}")
        dims[key] = [_text(f"matrix.{key}", v) for v in values]
    excludes = [_entry("exclude", e) for e in _list(matrix, "exclude")]
    includes = [_entry("include", e) for e in _list(matrix, "include")]
    for entry in excludes:
        unknown = set(entry) - set(dims)
        if unknown:
            raise MatrixError(f"matrix.exclude: key {sorted(unknown)[0]!r} is not a matrix dimension")
    originals = (
        [dict(zip(dims, combo, strict=True)) for combo in itertools.product(*dims.values())] if dims else []
    )
    originals = [c for c in originals if not any(_matches(c, e) for e in excludes)]
    combos = [(orig, dict(orig)) for orig in originals]
    extra: list[dict[str, str]] = []
    for entry in includes:
        fitted = False
        for orig, full in combos:
            if all(orig.get(k, v) == v for k, v in entry.items()):
                full.update(entry)
                fitted = True
        if not fitted:
            extra.append(dict(entry))
    result = tuple([full for _, full in combos] + extra)
    return MatrixSettings(
        result, _max_parallel(matrix.get("max-parallel")), _bool(matrix.get("fail-fast", True))
    )


def instance_id(base: str, values: dict[str, str]) -> str:
    """``test (python=3.11, os=linux)``."""
    inner = ", ".join(f"{k}={v}" for k, v in values.items())
    return f"{base} ({inner})"


def _matches(combo: dict[str, str], entry: dict[str, str]) -> bool:
    return all(combo.get(k) == v for k, v in entry.items())


def _list(matrix: dict[str, Any], key: str) -> list[Any]:
    value = matrix.get(key, [])
    if not isinstance(value, list):
        raise MatrixError(f"matrix.{key}: expected a list of mappings")
    return value


def _entry(key: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise MatrixError(f"matrix.{key}: each entry is a mapping of dimension: value, got {value!r}")
    return {str(k): _text(f"matrix.{key}.{k}", v) for k, v in value.items()}


def _text(where: str, value: Any) -> str:
    text = scalar_text(value)
    if text is None:
        raise MatrixError(f"{where}: values are scalars (text, numbers, booleans), got {value!r}")
    return text


def _max_parallel(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise MatrixError(f"matrix.max-parallel: expected a whole number >= 1, got {value!r}")
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise MatrixError(f"matrix.fail-fast: expected true or false, got {value!r}")
    return value
