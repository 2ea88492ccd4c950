"""The repository's own .lego.yml is valid and expands as the docs say."""

from __future__ import annotations

from pathlib import Path

from lego.spec import load_pipeline
from lego.spec.validate import validate

REPO = Path(__file__).resolve().parents[3]


def test_the_repository_pipeline_is_valid() -> None:
    assert validate(REPO / ".lego.yml") == []
    pipeline = load_pipeline(REPO / ".lego.yml")
    assert list(pipeline.jobs) == [
        "lint",
        "typecheck",
        "test (suite=quick)",
        "test (suite=integration)",
        "build",
    ]
    assert pipeline.jobs["build"].needs == ("lint", "typecheck", "test")
    assert all("lego/**" in job.inputs for job in pipeline.jobs.values())
    assert set(pipeline.bricks) == {"ruff", "pytest", "wheel"}
