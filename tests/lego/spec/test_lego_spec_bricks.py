"""Bricks: inputs (defaults, required, types, unknown), versions, steps and whole-job bricks, and
the starter set shipped in lego/bricks/."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import WriteFile

from lego.errors import BrickError
from lego.spec import load_pipeline
from lego.spec.bricks import find_brick, load_brick
from lego.spec.validate import validate

STARTER = Path(__file__).resolve().parents[3] / "lego" / "bricks"

GREET = """
name: greet
version: 1.2.0
inputs:
  who: {required: true}
  times: {type: number, default: 1}
  loud: {type: boolean, default: false}
  style: {type: choice, options: [plain, fancy], default: plain}
outputs:
  said: {description: what was said}
steps:
  - id: say
    run: echo "hello ${{ inputs.who }} x${{ inputs.times }} ${{ inputs.loud && 'LOUD' || 'quiet' }}"
  - id: style
    if: ${{ inputs.style == 'fancy' }}
    run: echo fancy
"""


@pytest.fixture
def bricks(write: WriteFile, tmp_path: Path) -> Path:
    write(GREET, "bricks/greet.yml")
    return tmp_path / "bricks"


def steps_of(path: Path, bricks: Path, job: str = "a") -> list[tuple[str, str, str | None]]:
    pipeline = load_pipeline(path, brick_dirs=[bricks])
    return [(s.id, s.run, s.if_) for s in pipeline.jobs[job].steps]


def test_defaults_fill_missing_inputs_and_static_expressions_are_evaluated(
    write: WriteFile, bricks: Path
) -> None:
    path = write("jobs:\n  a:\n    steps:\n      - id: hi\n        uses: greet\n        with: {who: Ann}\n")
    assert steps_of(path, bricks) == [
        ("hi.say", 'echo "hello Ann x1 quiet"', None),
        ("hi.style", "echo fancy", "false"),
    ]
    pipeline = load_pipeline(path, brick_dirs=[bricks])
    step = pipeline.jobs["a"].steps[0]
    assert (step.brick, step.group) == ("greet@1.2.0", "hi")
    assert pipeline.bricks == {"greet": "1.2.0"}


def test_given_inputs_of_every_type(write: WriteFile, bricks: Path) -> None:
    with_ = "{who: Bo, times: 3, loud: true, style: fancy}"
    path = write(f"jobs:\n  a:\n    steps:\n      - uses: greet\n        with: {with_}\n")
    assert steps_of(path, bricks) == [
        ("step-1.say", 'echo "hello Bo x3 LOUD"', None),
        ("step-1.style", "echo fancy", "true"),
    ]


def test_an_input_from_an_expression_is_evaluated_at_run_time(write: WriteFile, bricks: Path) -> None:
    path = write(
        """
        jobs:
          a:
            matrix: {name: [x]}
            steps:
              - uses: greet
                with: {who: "dr ${{ matrix.name }}", loud: "${{ matrix.name == 'x' }}"}
        """
    )
    (say, _) = steps_of(path, bricks, "a (name=x)")
    assert say[1] == (
        "echo \"hello dr ${{ matrix.name }} x1 ${{ (matrix.name == 'x') && 'LOUD' || 'quiet' }}\""
    )


def test_unknown_input_names_the_brick_input_and_the_line(write: WriteFile, bricks: Path) -> None:
    path = write("jobs:\n  a:\n    steps:\n      - uses: greet\n        with: {who: A, tmes: 2}\n")
    with pytest.raises(BrickError) as info:
        load_pipeline(path, brick_dirs=[bricks])
    assert str(info.value) == (
        f"{path}:4:9: with.tmes: brick greet@1.2.0 has no input 'tmes' (did you mean 'times'?)"
    )


def test_missing_required_input(write: WriteFile, bricks: Path) -> None:
    path = write("jobs:\n  a:\n    steps:\n      - uses: greet\n")
    with pytest.raises(BrickError, match=r":4:9: with.who: brick greet@1.2.0 requires input 'who'"):
        load_pipeline(path, brick_dirs=[bricks])


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("who: A, times: many", "input 'times' is a number, got 'many'"),
        ("who: A, loud: perhaps", "input 'loud' is true or false, got 'perhaps'"),
        ("who: A, style: bold", "input 'style' is one of plain, fancy, got 'bold'"),
        ("who: [a, b]", "input 'who' takes a scalar"),
    ],
)
def test_input_types_are_checked(write: WriteFile, bricks: Path, given: str, message: str) -> None:
    path = write(f"jobs:\n  a:\n    steps:\n      - uses: greet\n        with: {{{given}}}\n")
    problems = validate(path, brick_dirs=[bricks])
    assert len(problems) == 1 and problems[0].kind.value == "brick"
    assert message in problems[0].message


def test_versions(write: WriteFile, bricks: Path) -> None:
    write(GREET.replace("1.2.0", "2.0.0"), "bricks/greet@2.yml")
    assert find_brick("greet", [bricks]).spec.version == "1.2.0"
    assert find_brick("greet@1", [bricks]).spec.version == "1.2.0"
    assert find_brick("greet@1.2.0", [bricks]).spec.version == "1.2.0"
    assert find_brick("greet@2", [bricks]).spec.version == "2.0.0"
    with pytest.raises(BrickError, match=r"brick 'greet' has no version 3 \(found 1.2.0, 2.0.0\)"):
        find_brick("greet@3", [bricks])


def test_unknown_brick(write: WriteFile, bricks: Path) -> None:
    path = write("jobs:\n  a:\n    steps:\n      - uses: gret\n")
    (problem,) = validate(path, brick_dirs=[bricks])
    assert problem.pos.line == 4
    assert "brick 'gret' not found in" in problem.message and "--bricks DIR" in problem.message
    assert (
        "(did you mean 'greet'?)" in problem.message
        and "put gret.yml in configs/lego/bricks/" in problem.message
    )
    (starter,) = validate(write("jobs:\n  a:\n    steps:\n      - uses: pytset\n"))
    assert "(did you mean 'pytest'?)" in starter.message  # the starter set shipped with hucheng


def test_a_brick_reading_an_undeclared_input(write: WriteFile, tmp_path: Path) -> None:
    write("name: b\nversion: '1'\nsteps:\n  - run: echo ${{ inputs.nope }}\n", "bricks/b.yml")
    path = write("jobs:\n  a:\n    steps: [{uses: b}]\n")
    with pytest.raises(
        BrickError, match=r"b.yml:4:5: brick b@1 reads inputs.nope, which it does not declare"
    ):
        load_pipeline(path, brick_dirs=[tmp_path / "bricks"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: b\nsteps: []\n", "brick.version: required key is missing"),
        ("name: b\nversion: '1'\ninputs: {x: {type: list}}\nsteps: []\n", "type 'list' is not one of"),
        ("name: b\nversion: '1'\ninputs: {x: {type: choice}}\nsteps: []\n", "lists its 'options'"),
        ("name: b\nversion: '1'\nsteps: []\nextra: 1\n", "brick.extra: unknown key"),
        ("name: b\nversion: '1'\nsteps: [\n", "YAML syntax error"),
    ],
)
def test_broken_brick_files(write: WriteFile, tmp_path: Path, text: str, message: str) -> None:
    write(text, "bricks/b.yml")
    with pytest.raises(BrickError, match=message):
        load_brick(tmp_path / "bricks" / "b.yml")


def test_step_settings_apply_to_every_brick_step(write: WriteFile, bricks: Path) -> None:
    path = write(
        """
        jobs:
          a:
            steps:
              - uses: greet
                name: Greeting
                if: always()
                env: {X: "1"}
                timeout: 1m
                continue-on-error: true
                with: {who: A}
        """
    )
    steps = load_pipeline(path, brick_dirs=[bricks]).jobs["a"].steps
    assert [s.if_ for s in steps] == ["always()", "(always()) && (false)"]
    assert all(s.env == {"X": "1"} and s.timeout_seconds == 60 and s.continue_on_error for s in steps)
    assert steps[0].name.startswith("Greeting: ")


def test_a_brick_as_a_whole_job(write: WriteFile, tmp_path: Path) -> None:
    write(
        """
        name: ship
        version: 0.1.0
        inputs:
          env: {default: staging}
        steps:
          - id: go
            run: echo ship to ${{ inputs.env }}
        job:
          junit: [reports/*.xml]
          artifacts: [dist/]
          environment: ${{ inputs.env }}
          outputs: {version: "${{ steps.go.outputs.version }}"}
        """,
        "bricks/ship.yml",
    )
    path = write("jobs:\n  deploy:\n    uses: ship\n    with: {env: production}\n    artifacts: [log.txt]\n")
    job = load_pipeline(path, brick_dirs=[tmp_path / "bricks"]).jobs["deploy"]
    assert [(s.id, s.run) for s in job.steps] == [("go", "echo ship to production")]
    assert job.environment == "production" and job.junit == ("reports/*.xml",)
    assert job.artifacts == ("log.txt", "dist/")
    assert job.outputs == {"version": "${{ steps.go.outputs.version }}"}


def test_starter_bricks_all_load() -> None:
    names = sorted(p.stem for p in STARTER.glob("*.yml"))
    assert names == [
        "changcheng-deps",
        "changcheng-secrets",
        "deploy",
        "huabao-audit",
        "pytest",
        "python-setup",
        "ruff",
        "wheel",
    ]
    for name in names:
        brick = load_brick(STARTER / f"{name}.yml")
        assert brick.spec.name == name and brick.spec.steps and brick.spec.description


def test_starter_bricks_are_found_by_default(write: WriteFile) -> None:
    path = write(
        """
        jobs:
          test:
            steps:
              - uses: python-setup
                with: {extras: dev}
              - uses: pytest@1
                with: {python: .venv/bin/python, args: tests}
          deps:
            steps: [{uses: changcheng-deps, with: {db: osv.zip}}]
          pages:
            steps: [{uses: huabao-audit, with: {urls: "http://127.0.0.1:8000/"}}]
        """
    )
    pipeline = load_pipeline(path)
    test = pipeline.jobs["test"]
    assert test.junit == ("reports/junit.xml", "reports/junit*.xml")
    assert ".venv/bin/python -m pytest --junitxml='reports/junit.xml'  tests" in test.steps[-1].run
    assert {"python-setup", "pytest", "changcheng-deps", "huabao-audit"} <= set(pipeline.bricks)


def test_a_bad_name_in_a_with_value_is_reported_at_the_uses_step(write: WriteFile, bricks: Path) -> None:
    path = write(
        "jobs:\n  a:\n    matrix: {name: [x]}\n    steps:\n      - uses: greet\n"
        "        with: {who: '${{ matrix.nmae }}'}\n"
    )
    (problem,) = validate(path, brick_dirs=[bricks])
    assert (problem.pos.file, problem.pos.line) == (str(path), 5)
    assert "(brick greet@1.2.0, " in problem.message and "greet.yml:11:5)" in problem.message
    assert "matrix has no 'nmae' (did you mean 'name'?)" in problem.message


def test_brick_globs_with_run_time_values_are_left_out(write: WriteFile) -> None:
    path = write(
        """
        jobs:
          test:
            matrix: {part: [a, b]}
            steps:
              - uses: pytest
                with: {junit: "out/junit-${{ matrix.part }}.xml"}
          fixed:
            steps:
              - uses: pytest
                with: {junit: out/fixed.xml}
        """
    )
    jobs = load_pipeline(path).jobs
    assert jobs["test (part=a)"].junit == ("reports/junit*.xml",)
    assert jobs["fixed"].junit == ("out/fixed.xml", "reports/junit*.xml")


def test_the_starter_set_is_package_data_so_a_wheel_carries_it() -> None:
    import tomllib

    pyproject = tomllib.loads((STARTER.parents[1] / "pyproject.toml").read_text())
    assert "*.yml" in pyproject["tool"]["setuptools"]["package-data"]["lego.bricks"]
    assert {"pytest.yml", "ruff.yml", "wheel.yml"} <= {p.name for p in STARTER.glob("*.yml")}


def test_an_output_the_brick_does_not_declare_is_a_validate_problem_with_a_suggestion(
    write: WriteFile, bricks: Path
) -> None:
    path = write(
        "jobs:\n  a:\n    steps:\n      - id: hi\n        uses: greet\n        with: {who: Ann}\n"
        "      - run: echo ${{ steps.hi.outputs.siad }} ${{ steps.hi.outputs.said }}\n"
    )
    problems = validate(path, brick_dirs=[bricks])
    assert len(problems) == 1, problems
    assert "step 'hi' (a brick) declares no output 'siad'" in problems[0].message
    assert "'said'" in problems[0].message  # the suggestion
    assert str(problems[0].pos).startswith(f"{path}:7:")  # the line that reads it
