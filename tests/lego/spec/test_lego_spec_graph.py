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


def test_a_chain_of_thousands_of_jobs_draws_and_plans(tmp_path: Path) -> None:
    from lego.spec.plan import make_plan

    lines = ["jobs:"]
    for i in range(1500):
        lines += [
            f"  j{i}:",
            f"    needs: [j{i - 1}]" if i else "    needs: []",
            "    steps: [{run: 'true'}]",
        ]
    path = tmp_path / "chain.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pipeline = load_pipeline(path)
    tree = RENDERERS["tree"](pipeline).splitlines()
    assert len(tree) == 1500 and tree[0] == "j0" and tree[-1].endswith("└── j1499")
    assert [j.level for j in make_plan(pipeline).jobs][-1] == 1499
