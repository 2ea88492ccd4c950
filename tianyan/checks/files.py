"""Checks declared in files of their own (``tianyan.checks_files``): YAML with a ``checks:`` list,
the same entries as ``tianyan.checks``, errors with file:line:column and did-you-mean."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from hucheng.config.yamlfile import read_yaml
from hucheng.errors import ConfigError
from tianyan.checks.base import CheckBase
from tianyan.checks.kinds import CHECK_KINDS, AnyCheck
from tianyan.errors import CheckConfigError


def _hint(error: Any, data: Any) -> str:
    loc = error["loc"]
    if error["type"] != "extra_forbidden" or len(loc) < 2:
        return str(error["msg"])
    kind = CHECK_KINDS.get(str(loc[1]))
    known = sorted(kind.config.model_fields) if kind else []
    close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    return "unknown key" + (
        f" (did you mean '{close[0]}'?)" if close else f" (known keys: {', '.join(known)})"
    )


def load_checks_file(path: Path) -> list[CheckBase]:
    try:
        data, positions = read_yaml(path)
    except ConfigError as exc:
        raise CheckConfigError(str(exc)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("checks"), list):
        raise CheckConfigError(f"{path}:1:1: a checks file is a mapping with a 'checks:' list")
    extra = [k for k in data if k != "checks"]
    if extra:
        raise CheckConfigError(
            f"{path}: unknown top-level key {extra[0]!r}; a checks file has only 'checks:'"
        )
    try:
        checks: list[CheckBase] = list(TypeAdapter(list[AnyCheck]).validate_python(data["checks"]))
    except ValidationError as exc:
        # a typo shows as "unknown key" and "field required": name the typo
        first = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")[0]
        loc = first["loc"]
        # pydantic puts the kind's tag after the index: checks.0.http.timout -> file position of 0.timout
        key_path = ("checks", *[p for i, p in enumerate(loc) if not (i == 1 and isinstance(p, str))])
        where = next(
            (positions[key_path[:n]] for n in range(len(key_path), 0, -1) if key_path[:n] in positions), None
        )
        at = f"{path}:{where.key.line}:{where.key.column}" if where else str(path)
        dotted = ".".join(str(p) for p in key_path)
        raise CheckConfigError(f"{at}: {dotted}: {_hint(first, data)}") from exc
    return checks


def load_checks_files(paths: Sequence[Path]) -> list[CheckBase]:
    out: list[CheckBase] = []
    for path in paths:
        out.extend(load_checks_file(path))
    return out
