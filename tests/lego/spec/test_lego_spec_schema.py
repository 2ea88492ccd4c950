"""``hucheng lego schema``: the JSON Schema accepts the pipelines and bricks this repository ships
and rejects what the loader rejects (checked with the jsonschema library)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

import cli
from hucheng.exitcodes import ExitCode
from lego.spec.schema import brick_json_schema, pipeline_json_schema

REPO = Path(__file__).resolve().parents[3]
PIPELINES = [
    REPO / ".lego.yml",
    REPO / "docs" / "examples" / "lego-calc" / ".lego.yml",
    REPO / "tests" / "lego" / "spec" / "golden" / "pipeline.lego.yml",
]


@pytest.mark.parametrize("path", PIPELINES, ids=lambda p: str(p.relative_to(REPO)))
def test_shipped_pipelines_fit_the_schema(path: Path) -> None:
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), pipeline_json_schema())


def test_starter_bricks_fit_the_brick_schema() -> None:
    bricks = sorted((REPO / "lego" / "bricks").glob("*.yml"))
    assert bricks
    for path in bricks:
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), brick_json_schema())


@pytest.mark.parametrize(
    "data",
    [
        {"jobs": {"a": {"steps": [{"run": "x"}], "neds": ["b"]}}},  # unknown job key
        {"jobs": {"a": {"steps": [{"run": "x", "timout": "1m"}]}}},  # unknown step key
        {"jobs": {"a": {"needs": "x"}}},  # a job without steps
        {"job": {}},  # unknown top-level key
    ],
)
def test_the_schema_rejects_what_the_loader_rejects(data: dict[str, object]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, pipeline_json_schema())


def test_templates_and_extending_jobs_may_leave_out_steps() -> None:
    data = {"templates": {"t": {"timeout": "5m"}}, "jobs": {"a": {"extends": "t"}}}
    jsonschema.validate(data, pipeline_json_schema())


def test_schema_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["lego", "schema"]) == ExitCode.OK
    assert json.loads(capsys.readouterr().out)["title"] == ".lego.yml"
    assert cli.main(["lego", "schema", "--brick"]) == ExitCode.OK
    assert json.loads(capsys.readouterr().out)["title"] == "lego brick"
