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
from lego.spec.expressions import CONTEXTS, ExprContext, check_syntax, evaluate, find_expressions, references

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


def test_expressions_on_lego_contexts_evaluate_or_fail_cleanly(tmp_path: Path) -> None:
    """Those that read only contexts lego has (matrix, env, needs, steps, secrets...) evaluate against
    an empty run; the only failures allowed are ExpressionErrors (fromJSON of an empty output)."""
    if not DATA.is_dir():
        pytest.skip(f"optional data not present: {DATA}")
    ctx = ExprContext(workspace=tmp_path)
    evaluated = failed = 0
    for file in sorted(p for p in DATA.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file()):
        for expr in expressions(yaml.safe_load(file.read_text(encoding="utf-8"))):
            if not {path[0] for path in references(expr)[0]} <= set(CONTEXTS):
                continue  # github.*, runner.*: contexts lego does not have
            try:
                evaluate(expr, ctx)
                evaluated += 1
            except ExpressionError as exc:
                assert "fromJSON(): not JSON" in str(exc)
                failed += 1
    assert evaluated >= 300 and failed < 20
