"""Matrix expansion with GitHub Actions' include/exclude rules."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import WriteFile

from lego.spec import load_pipeline
from lego.spec.matrix import MatrixError, expand, instance_id
from lego.spec.validate import validate


def combos(matrix: dict[str, Any]) -> list[dict[str, str]]:
    return list(expand(matrix).combinations)


def test_cartesian_product_in_written_order() -> None:
    assert combos({"os": ["linux", "mac"], "py": [3.11, 3.12]}) == [
        {"os": "linux", "py": "3.11"},
        {"os": "linux", "py": "3.12"},
        {"os": "mac", "py": "3.11"},
        {"os": "mac", "py": "3.12"},
    ]


def test_exclude_drops_partial_matches() -> None:
    got = combos({"os": ["linux", "mac"], "py": ["3.11", "3.12"], "exclude": [{"os": "mac"}]})
    assert got == [{"os": "linux", "py": "3.11"}, {"os": "linux", "py": "3.12"}]
    got = combos({"os": ["linux", "mac"], "py": ["3.11", "3.12"], "exclude": [{"os": "mac", "py": "3.12"}]})
    assert len(got) == 3 and {"os": "mac", "py": "3.12"} not in got


def test_include_follows_the_github_documentation_example() -> None:
    # docs.github.com "Expanding or adding matrix configurations"
    matrix = {
        "fruit": ["apple", "pear"],
        "animal": ["cat", "dog"],
        "include": [
            {"color": "green"},
            {"color": "pink", "animal": "cat"},
            {"fruit": "apple", "shape": "circle"},
            {"fruit": "banana"},
            {"fruit": "banana", "animal": "cat"},
        ],
    }
    assert combos(matrix) == [
        {"fruit": "apple", "animal": "cat", "color": "pink", "shape": "circle"},
        {"fruit": "apple", "animal": "dog", "color": "green", "shape": "circle"},
        {"fruit": "pear", "animal": "cat", "color": "pink"},
        {"fruit": "pear", "animal": "dog", "color": "green"},
        {"fruit": "banana"},
        {"fruit": "banana", "animal": "cat"},
    ]


def test_include_only() -> None:
    assert combos({"include": [{"a": 1}, {"a": 2, "b": "x"}]}) == [{"a": "1"}, {"a": "2", "b": "x"}]


def test_settings() -> None:
    settings = expand({"py": ["3"], "max-parallel": 2, "fail-fast": False})
    assert (settings.max_parallel, settings.fail_fast) == (2, False)
    assert expand({}).combinations == ()


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ({"py": []}, "matrix.py: expected a non-empty list"),
        ({"py": "3.11"}, "matrix.py: expected a non-empty list"),
        ({"py": [{"a": 1}]}, "values are scalars"),
        ({"py": ["3"], "exclude": [{"os": "x"}]}, "key 'os' is not a matrix dimension"),
        ({"py": ["3"], "include": {"a": 1}}, "matrix.include: expected a list"),
        ({"py": ["3"], "include": ["x"]}, "each entry is a mapping"),
        ({"py": ["3"], "max-parallel": 0}, "max-parallel: expected a whole number >= 1"),
        ({"py": ["3"], "fail-fast": "no"}, "fail-fast: expected true or false"),
    ],
)
def test_malformed_matrices(matrix: dict[str, Any], message: str) -> None:
    with pytest.raises(MatrixError, match=message):
        expand(matrix)


def test_instance_ids() -> None:
    assert instance_id("test", {"python": "3.11", "os": "linux"}) == "test (python=3.11, os=linux)"


def test_matrix_jobs_share_the_base_settings(write: WriteFile) -> None:
    path = write(
        """
        jobs:
          test:
            matrix:
              python: [3.10, 3.11]
              os: [linux]
              max-parallel: 1
              fail-fast: false
            steps: [{run: "python${{ matrix.python }} -m pytest"}]
        """
    )
    jobs = list(load_pipeline(path).jobs.values())
    assert [j.id for j in jobs] == ["test (python=3.10, os=linux)", "test (python=3.11, os=linux)"]
    assert all(j.base == "test" and j.max_parallel == 1 and not j.fail_fast for j in jobs)
    assert jobs[0].matrix == {"python": "3.10", "os": "linux"}


def test_a_bad_matrix_points_at_the_matrix_key(write: WriteFile) -> None:
    path = write("jobs:\n  t:\n    matrix: {py: []}\n    steps: [{run: x}]\n")
    (problem,) = validate(path)
    assert str(problem) == f"{path}:3:5: matrix.py: expected a non-empty list of values, got []"
