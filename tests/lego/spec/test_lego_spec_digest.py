"""The job definition digest: stable where nothing changed, different where the job did."""

from __future__ import annotations

from conftest import WriteFile

from lego.spec import load_pipeline
from lego.spec.digest import job_definition_digest

BASE = """
env: {E: "1"}
jobs:
  a:
    inputs: [src/**]
    steps: [{run: make}]
"""


def digest(write: WriteFile, text: str) -> str:
    pipeline = load_pipeline(write(text))
    return job_definition_digest(pipeline.jobs["a"], pipeline)


def test_same_definition_same_digest_even_when_moved_in_the_file(write: WriteFile) -> None:
    first = digest(write, BASE)
    assert len(first) == 64 and first == digest(write, BASE)
    assert digest(write, "# a comment\n\n" + BASE) == first


def test_changes_to_the_job_or_pipeline_env_change_the_digest(write: WriteFile) -> None:
    first = digest(write, BASE)
    assert digest(write, BASE.replace("make", "make all")) != first
    assert digest(write, BASE.replace('E: "1"', 'E: "2"')) != first
    assert digest(write, BASE.replace("src/**", "lib/**")) != first


def test_brick_version_enters_the_digest(write: WriteFile) -> None:
    brick = "name: b\nversion: '{v}'\nsteps: [{{run: make}}]\n"
    write(brick.format(v="1.0"), "configs/lego/bricks/b.yml")
    text = "jobs:\n  a:\n    steps: [{uses: b}]\n"
    first = digest(write, text)
    write(brick.format(v="1.1"), "configs/lego/bricks/b.yml")
    assert digest(write, text) != first
