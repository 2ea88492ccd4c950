"""The ``needs`` graph: unknown jobs, cycles with their path, order."""

from __future__ import annotations

import pytest
from conftest import WriteFile

from lego.errors import PipelineError
from lego.spec import load_pipeline
from lego.spec.dag import find_cycle, levels, topo_order
from lego.spec.validate import validate


def test_cycle_is_reported_with_its_path_and_position(write: WriteFile) -> None:
    path = write(
        """
        jobs:
          a:
            needs: c
            steps: [{run: x}]
          b:
            needs: a
            steps: [{run: x}]
          c:
            needs: [b]
            steps: [{run: x}]
        """
    )
    with pytest.raises(PipelineError) as info:
        load_pipeline(path)
    assert str(info.value) == f"{path}:3:5: needs: cycle a -> c -> b -> a"


def test_self_need(write: WriteFile) -> None:
    problems = validate(write("jobs:\n  a:\n    needs: a\n    steps: [{run: x}]\n"))
    assert [str(p).split(": ", 1)[1] for p in problems] == ["jobs.a.needs: a job cannot need itself"]


def test_needs_naming_a_missing_job_suggests_one(write: WriteFile) -> None:
    path = write(
        "jobs:\n  build:\n    steps: [{run: x}]\n  test:\n    needs: [biuld]\n    steps: [{run: x}]\n"
    )
    with pytest.raises(PipelineError) as info:
        load_pipeline(path)
    assert str(info.value) == f"{path}:5:5: jobs.test.needs: no job named 'biuld' (did you mean 'build'?)"


def test_find_cycle() -> None:
    assert find_cycle({"a": ["b"], "b": ["c"], "c": []}) is None
    assert find_cycle({"a": ["b"], "b": ["a"]}) == ["a", "b", "a"]
    assert find_cycle({"x": [], "a": ["b"], "b": ["c"], "c": ["b"]}) == ["b", "c", "b"]


def test_a_long_chain_needs_no_recursion() -> None:
    chain = {f"j{i}": [f"j{i - 1}"] if i else [] for i in range(5000)}
    assert find_cycle(chain) is None
    assert topo_order(dict(reversed(chain.items())))[:3] == ["j0", "j1", "j2"]
    chain["j0"] = ["j4999"]
    cycle = find_cycle(chain)
    assert cycle is not None and len(cycle) == 5001


def test_topo_order_keeps_file_order_for_ties() -> None:
    graph = {"deploy": ["test", "lint"], "lint": [], "test": ["build"], "build": []}
    assert topo_order(graph) == ["lint", "build", "test", "deploy"]
    assert levels(graph) == {"lint": 0, "build": 0, "test": 1, "deploy": 2}


def test_needs_on_a_matrix_job_names_the_base_job(write: WriteFile) -> None:
    path = write(
        """
        jobs:
          test:
            matrix: {py: ["3.11", "3.12"]}
            steps: [{run: x}]
          report:
            needs: test
            steps: [{run: x}]
        """
    )
    pipeline = load_pipeline(path)
    assert list(pipeline.jobs) == ["test (py=3.11)", "test (py=3.12)", "report"]
    assert pipeline.jobs["report"].needs == ("test",)
