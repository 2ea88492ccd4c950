"""``lego graph`` renderers against golden files (tests/lego/spec/golden/pipeline.*)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lego.spec import load_pipeline
from lego.spec.graph import RENDERERS, as_data

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.mark.parametrize(("fmt", "suffix"), [("tree", "tree.txt"), ("mermaid", "mmd"), ("dot", "dot")])
def test_graph_matches_the_golden_file(fmt: str, suffix: str) -> None:
    pipeline = load_pipeline(GOLDEN / "pipeline.lego.yml")
    expected = (GOLDEN / f"pipeline.{suffix}").read_text(encoding="utf-8")
    assert RENDERERS[fmt](pipeline) == expected


def test_graph_data() -> None:
    data = as_data(load_pipeline(GOLDEN / "pipeline.lego.yml"))
    assert [n["id"] for n in data["nodes"]] == ["lint", "typecheck", "test", "build", "docs", "deploy"]  # type: ignore[index]
    assert {"from": "typecheck", "to": "build"} in data["edges"]  # type: ignore[operator]


def test_labels_are_quoted(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text("jobs:\n  a:\n    matrix: {q: ['\"x\"']}\n    steps: [{run: x}]\n", encoding="utf-8")
    pipeline = load_pipeline(path)
    assert 'j0["a ×1"]' in RENDERERS["mermaid"](pipeline)
    assert '"a" [label="a ×1"];' in RENDERERS["dot"](pipeline)
