"""``hucheng lego validate|plan|graph``: wiring, output, the one stderr line and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import WriteFile

import cli
from hucheng.exitcodes import ExitCode

GOOD = """
jobs:
  lint:
    steps: [{run: ruff check .}]
  test:
    needs: lint
    matrix: {py: ["3.11", "3.12"]}
    steps: [{run: pytest}]
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_valid_file(write: WriteFile, cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(GOOD)
    assert run(capsys, "lego", "validate", "-f", str(path)) == (ExitCode.OK, f"{path}: valid\n", "")
    code, out, _ = run(capsys, "lego", "validate", "-f", str(path), "--format", "json")
    assert code == ExitCode.OK and json.loads(out) == {"file": str(path), "valid": True, "items": []}


def test_validate_lists_every_problem_and_exits_2(
    write: WriteFile, cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write("jobs:\n  a:\n    needs: b\n    steps: [{run: x}]\n  b:\n    needs: a\n    stpes: []\n")
    code, out, err = run(capsys, "--format", "json", "lego", "validate", "-f", str(path))
    assert code == ExitCode.USAGE and err == ""
    data = json.loads(out)
    assert data["valid"] is False
    assert [(i["line"], i["kind"]) for i in data["items"]] == [(3, "cycle"), (7, "schema")]
    assert data["items"][0]["problem"] == "needs: cycle a -> b -> a"


def test_plan_and_graph_refuse_an_invalid_file_with_one_line(
    write: WriteFile, cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write("jobs:\n  a:\n    steps: [{run: 'echo ${{ 1 == }}'}]\n")
    for command in ("plan", "graph"):
        code, out, err = run(capsys, "lego", command, "-f", str(path))
        assert code == ExitCode.USAGE and out == ""
        assert len(err.strip().splitlines()) == 1
        assert f"{path}:3:25: jobs.a.steps.step-1.run: expression '1 ==', column 5:" in err
        assert "more problem" not in err


def test_broken_yaml_is_one_line(write: WriteFile, cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write("jobs:\n  a: [\n")
    code, out, err = run(capsys, "lego", "graph", "-f", str(path))
    assert code == ExitCode.USAGE and out == ""
    assert f"{path}:3:1: YAML syntax error" in err and len(err.strip().splitlines()) == 1


def test_plan_json(write: WriteFile, cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(GOOD)
    code, out, _ = run(capsys, "lego", "plan", "-f", str(path), "--format", "json")
    assert code == ExitCode.OK
    data = json.loads(out)
    assert [i["job"] for i in data["items"]] == ["lint", "test (py=3.11)", "test (py=3.12)"]
    assert [i["cache"] for i in data["items"]] == ["no inputs", "unknown", "unknown"]
    assert data["counts"] == {"run": 3}


def test_plan_table(write: WriteFile, cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lego", "plan", "-f", str(write(GOOD)), "--no-cache")
    assert code == ExitCode.OK and "(py=3.11)" in out and "lego plan" in out


@pytest.mark.parametrize(
    ("fmt", "needle"), [("mermaid", "j0 --> j1"), ("dot", '"lint" -> "test";'), ("tree", "└── test ×2")]
)
def test_graph_formats(
    write: WriteFile, cli_env: Path, capsys: pytest.CaptureFixture[str], fmt: str, needle: str
) -> None:
    code, out, _ = run(capsys, "lego", "graph", "-f", str(write(GOOD)), "--format", fmt)
    assert code == ExitCode.OK and needle in out


def test_graph_defaults_to_mermaid_off_a_terminal_and_follows_root_json(
    write: WriteFile, cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(GOOD)
    code, out, _ = run(capsys, "lego", "graph", "-f", str(path))
    assert code == ExitCode.OK and out.startswith("flowchart LR\n")
    code, out, _ = run(capsys, "--format", "json", "lego", "graph", "-f", str(path))
    assert json.loads(out)["edges"] == [{"from": "lint", "to": "test"}]


def test_help_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("validate", "plan", "graph", "bricks"):
        code, out, _ = run(capsys, "lego", command, "--help")
        assert code == ExitCode.OK and "Examples:" in out and f"hucheng lego {command}" in out


def test_bricks_lists_the_starter_set_and_local_bricks(
    write: WriteFile, cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        "name: greet\nversion: '2.0'\ndescription: Hi.\ninputs: {who: {required: true}}\nsteps: [{run: x}]\n",
        "ci/greet.yml",
    )
    path = write(GOOD)
    code, out, _ = run(
        capsys, "lego", "bricks", "-f", str(path), "--bricks", str(path.parent / "ci"), "--format", "json"
    )
    assert code == ExitCode.OK
    rows = {row["brick"]: row for row in json.loads(out)}
    assert rows["greet@2.0"]["inputs"] == "who* (string)"
    assert rows["pytest@1.0.0"]["inputs"].startswith("python (string, python3), args (string), ")
    assert "fail-fast (boolean, false)" in rows["pytest@1.0.0"]["inputs"]
    assert "preview" in rows["huabao-audit@1.0.0"]["description"]


def test_bricks_names_a_broken_brick_file(
    write: WriteFile, cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write("name: b\nsteps: []\n", "ci/b.yml")
    path = write(GOOD)
    code, out, err = run(capsys, "lego", "bricks", "-f", str(path), "--bricks", str(path.parent / "ci"))
    assert code == ExitCode.USAGE and out == ""
    assert "ci/b.yml:1:1: brick.version: required key is missing" in err


def test_plan_one_job_and_what_it_needs(
    write: WriteFile, cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(GOOD + "  docs:\n    steps: [{run: make docs}]\n")
    code, out, _ = run(capsys, "lego", "plan", "-f", str(path), "--job", "test", "--format", "json")
    assert code == ExitCode.OK
    assert [i["job"] for i in json.loads(out)["items"]] == ["lint", "test (py=3.11)", "test (py=3.12)"]
    code, out, err = run(capsys, "lego", "plan", "-f", str(path), "--job", "nope")
    assert code == ExitCode.USAGE and "--job nope: no such job" in err


def test_validate_a_missing_file(tmp_path: Path, cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.yml"
    code, out, _ = run(capsys, "lego", "validate", "-f", str(missing), "--format", "json")
    assert code == ExitCode.USAGE
    (item,) = json.loads(out)["items"]
    assert item["where"] == str(missing) and item["problem"].startswith("file not found")
