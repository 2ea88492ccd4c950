"""Every ``${{ }}`` expression in 67 real GitHub Actions workflows (../shared/data/workflows) parses.

The data is optional: the test skips when it is absent, also under CI=true.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from lego.errors import ExpressionError
from lego.spec.expressions import check_syntax, find_expressions

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "workflows"


def expressions(value: Any, key: str | None = None) -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from expressions(v, str(k))
    elif isinstance(value, list):
        for v in value:
            yield from expressions(v, key)
    elif isinstance(value, str):
        found = [expr for _, expr in find_expressions(value)]
        if key == "if" and not found:  # a bare condition
            found = [value]
        yield from found


def test_every_expression_in_real_workflows_parses() -> None:
    if not DATA.is_dir():
        pytest.skip(f"optional data not present: {DATA}")
    files = sorted(p for p in DATA.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())
    assert len(files) >= 60
    failures = []
    count = 0
    for file in files:
        for expr in expressions(yaml.safe_load(file.read_text(encoding="utf-8"))):
            count += 1
            try:
                check_syntax(expr)
            except ExpressionError as exc:
                failures.append(f"{file.relative_to(DATA)}: {exc}")
    assert count >= 400
    assert failures == []
