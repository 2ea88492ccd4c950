"""``include:`` of other files and ``extends:`` of templates and jobs."""

from __future__ import annotations

import pytest
from conftest import WriteFile

from lego.errors import PipelineError
from lego.spec import load_pipeline
from lego.spec.validate import validate


def test_extends_a_template_merging_mappings_and_replacing_lists(write: WriteFile) -> None:
    path = write(
        """
        templates:
          python:
            env: {PIP_NO_INPUT: "1", LEVEL: base}
            timeout: 5m
            retry: {max: 1}
            steps: [{run: base}]
        jobs:
          test:
            extends: python
            env: {LEVEL: test}
            steps: [{run: pytest}]
        """
    )
    job = load_pipeline(path).jobs["test"]
    assert job.env == {"PIP_NO_INPUT": "1", "LEVEL": "test"}
    assert job.timeout_seconds == 300 and job.retry.max == 1
    assert [s.run for s in job.steps] == ["pytest"]


def test_extends_a_job_and_several_parents_in_order(write: WriteFile) -> None:
    path = write(
        """
        templates:
          slow: {timeout: 1h}
          quiet: {env: {QUIET: "1"}}
        jobs:
          lint:
            env: {A: "1"}
            steps: [{run: ruff}]
          lint-strict:
            extends: [lint, slow, quiet]
        """
    )
    job = load_pipeline(path).jobs["lint-strict"]
    assert job.env == {"A": "1", "QUIET": "1"} and job.timeout_seconds == 3600
    assert [s.run for s in job.steps] == ["ruff"]


def test_a_problem_in_an_inherited_key_points_into_the_template(write: WriteFile) -> None:
    path = write(
        """
        templates:
          base:
            timout: 5m
        jobs:
          a:
            extends: base
            steps: [{run: x}]
        """
    )
    (problem,) = validate(path)
    assert (problem.pos.line, problem.message) == (3, "jobs.a.timout: unknown key (did you mean 'timeout'?)")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("jobs:\n  a:\n    extends: nope\n    steps: [{run: x}]\n", "no template or job named 'nope'"),
        (
            "jobs:\n  a:\n    extends: b\n    steps: [{run: x}]\n  b:\n    extends: a\n",
            "extends: loop a -> b -> a",
        ),
        ("jobs:\n  a:\n    extends: a\n    steps: [{run: x}]\n", "extends: loop a -> a"),
        ("jobs:\n  a:\n    extends: [1]\n    steps: [{run: x}]\n", "expected a template or job name"),
    ],
)
def test_bad_extends(write: WriteFile, body: str, message: str) -> None:
    problems = validate(write(body))
    assert any(message in str(p) for p in problems), [str(p) for p in problems]


def test_include_merges_jobs_env_templates_and_secrets(write: WriteFile) -> None:
    write(
        """
        env: {A: from-lint, B: from-lint}
        secrets: [TOKEN]
        templates:
          py: {env: {PY: "1"}}
        jobs:
          lint:
            steps: [{run: ruff}]
          test:
            steps: [{run: old}]
        """,
        "ci/lint.yml",
    )
    path = write(
        """
        include: ci/lint.yml
        env: {B: main}
        jobs:
          test:
            extends: py
            needs: lint
            steps: [{run: pytest}]
        """
    )
    pipeline = load_pipeline(path)
    assert pipeline.env == {"A": "from-lint", "B": "main"}
    assert pipeline.secrets == ("TOKEN",)
    assert list(pipeline.jobs) == ["lint", "test"]
    assert pipeline.jobs["test"].env == {"PY": "1"}
    assert [s.run for s in pipeline.jobs["test"].steps] == ["pytest"]
    assert pipeline.jobs["lint"].pos.file.endswith("ci/lint.yml")


def test_nested_includes_are_relative_to_their_file(write: WriteFile) -> None:
    write("jobs:\n  deep:\n    steps: [{run: x}]\n", "ci/parts/deep.yml")
    write("include: [parts/deep.yml]\n", "ci/mid.yml")
    path = write("include: [ci/mid.yml]\njobs:\n  top:\n    needs: deep\n    steps: [{run: y}]\n")
    assert list(load_pipeline(path).jobs) == ["deep", "top"]


def test_include_loop_and_missing_include(write: WriteFile) -> None:
    write("include: [.lego.yml]\njobs:\n  b:\n    steps: [{run: x}]\n", "b.yml")
    path = write("include: [b.yml, missing.yml]\njobs:\n  a:\n    steps: [{run: x}]\n")
    messages = [p.message for p in validate(path)]
    assert any("includes itself (loop)" in m for m in messages), messages
    missing = [m for m in messages if m.startswith("include: missing.yml: ")]
    assert len(missing) == 1 and "no such file (" in missing[0] and "relative to .lego.yml)" in missing[0]
    assert "-f FILE" not in missing[0]  # the hint for the pipeline file itself, wrong for an include


def test_a_broken_included_file_names_its_own_position(write: WriteFile) -> None:
    write("jobs:\n  b: [\n", "b.yml")
    path = write("include: b.yml\njobs:\n  a:\n    steps: [{run: x}]\n")
    with pytest.raises(PipelineError, match=r"include: b.yml: .*b.yml:3:1: YAML syntax error"):
        load_pipeline(path)
