"""Loading a pipeline file: every key of the schema, defaults, and bad input with file:line:col."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from conftest import WriteFile

from lego.errors import ExpressionError, PipelineError
from lego.spec import load_pipeline
from lego.spec.steps import BASH
from lego.spec.validate import validate


def test_a_full_job_loads_into_the_model(write: WriteFile) -> None:
    path = write(
        """
        env: {SERVICE: shop, VERSION: 1.10}
        secrets: [PYPI_TOKEN]
        jobs:
          build:
            steps: [{run: make}]
          deploy:
            needs: build
            if: ${{ git.branch == 'main' }}
            env: {TARGET: prod}
            timeout: 10m
            retry: {max: 2, when: [1, 137, timeout]}
            continue-on-error: true
            working-directory: app
            outputs: {url: "${{ steps.push.outputs.url }}"}
            artifacts: dist/*.whl
            cache: {key: "pip-${{ hashFiles('requirements.txt') }}", paths: [.cache/pip], restore-keys: pip-}
            inputs: [src/**, pyproject.toml]
            cache-env: [PYTHONHASHSEED]
            junit: reports/*.xml
            environment: production
            concurrency: {group: deploy-prod, cancel-in-progress: true}
            manual: true
            steps:
              - id: push
                name: Push it
                run: ./push.sh
                shell: sh
                env: {DEBUG: 1}
                if: always()
                timeout: 30s
                continue-on-error: true
                working-directory: scripts
        """
    )
    pipeline = load_pipeline(path)
    assert pipeline.env == {"SERVICE": "shop", "VERSION": "1.10"}
    assert pipeline.secrets == ("PYPI_TOKEN",)
    job = pipeline.jobs["deploy"]
    assert job.needs == ("build",)
    assert job.if_ == "git.branch == 'main'"
    assert job.env == {"TARGET": "prod"}
    assert job.timeout_seconds == 600
    assert (job.retry.max, job.retry.when) == (2, ("1", "137", "timeout"))
    assert job.continue_on_error and job.manual and job.cancel_in_progress
    assert job.working_directory == "app"
    assert job.outputs == {"url": "${{ steps.push.outputs.url }}"}
    assert job.artifacts == ("dist/*.whl",)
    assert job.cache[0].key.startswith("pip-${{") and job.cache[0].paths == (".cache/pip",)
    assert job.cache[0].restore_keys == ("pip-",)
    assert job.inputs == ("src/**", "pyproject.toml")
    assert job.cache_env == ("PYTHONHASHSEED",)
    assert job.junit == ("reports/*.xml",)
    assert job.environment == "production" and job.concurrency_group == "deploy-prod"
    (step,) = job.steps
    assert (step.id, step.name, step.run, step.shell) == ("push", "Push it", "./push.sh", ("sh", "-e", "-c"))
    assert step.env == {"DEBUG": "1"} and step.if_ == "always()" and step.timeout_seconds == 30
    assert step.continue_on_error and step.working_directory == "scripts"
    assert (step.pos.file, step.pos.line) == (str(path), 24)


def test_defaults(write: WriteFile) -> None:
    pipeline = load_pipeline(write("jobs:\n  a:\n    steps:\n      - run: echo hi\n"))
    job = pipeline.jobs["a"]
    assert (job.id, job.base, job.needs, job.matrix, job.if_) == ("a", "a", (), {}, None)
    assert job.retry.max == 0 and job.fail_fast and job.max_parallel is None
    step = job.steps[0]
    assert step.id == "step-1" and step.name == "echo hi" and step.shell == BASH
    assert BASH == ("bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c")


def test_yaml_floats_keep_their_text(write: WriteFile) -> None:
    path = write(
        """
        env: {A: 1.10, B: 3.0, C: true, D: 7, E: ~}
        jobs:
          a:
            matrix: {python: [3.10, 3.9]}
            steps: [{run: x}]
        """
    )
    pipeline = load_pipeline(path)
    assert pipeline.env == {"A": "1.10", "B": "3.0", "C": "true", "D": "7", "E": ""}
    assert [j.matrix["python"] for j in pipeline.jobs.values()] == ["3.10", "3.9"]


def test_yaml_ints_and_words_keep_their_text_and_booleans_are_yaml_1_2(write: WriteFile) -> None:
    # YAML 1.1 (PyYAML) reads 010 as 8, 1:30 as 90, no/on as booleans; GitHub Actions reads YAML 1.2
    path = write(
        """
        env: {OCT: 010, BIG: 1_000, TIME: 1:30, HEX: 0x1F, COUNTRY: no, FLAG: on, Y: yes, T: True}
        jobs:
          a:
            matrix: {flag: [on, off]}
            manual: yes
            retry: 0x2
            steps: [{run: x}]
        """
    )
    pipeline = load_pipeline(path)
    assert pipeline.env == {
        "OCT": "010",
        "BIG": "1_000",
        "TIME": "1:30",
        "HEX": "0x1F",
        "COUNTRY": "no",
        "FLAG": "on",
        "Y": "yes",
        "T": "true",
    }
    jobs = list(pipeline.jobs.values())
    assert [j.matrix["flag"] for j in jobs] == ["on", "off"]
    assert jobs[0].manual is True and jobs[0].retry.max == 2  # fields that take a boolean or a number
    assert pickle.loads(pickle.dumps(pipeline)) == pipeline  # the pipeline cache keeps it as a pickle


@pytest.mark.parametrize(
    ("shell", "argv0"),
    [("bash", "bash"), ("sh", "sh"), ("python", "python3")],
)
def test_named_shells(write: WriteFile, shell: str, argv0: str) -> None:
    pipeline = load_pipeline(write(f"shell: {shell}\njobs:\n  a:\n    steps: [{{run: x}}]\n"))
    assert pipeline.jobs["a"].steps[0].shell[0] == argv0


def test_a_shell_template_runs_the_script_from_a_file(write: WriteFile, tmp_path: Path) -> None:
    import subprocess

    pipeline = load_pipeline(write("jobs:\n  a:\n    steps: [{run: 'print(6*7)', shell: 'python3 {0}'}]\n"))
    shell = pipeline.jobs["a"].steps[0].shell
    done = subprocess.run([*shell, "print(6*7)"], capture_output=True, text=True, check=True)
    assert done.stdout == "42\n"


def test_job_shell_is_the_default_for_its_steps(write: WriteFile) -> None:
    path = write("jobs:\n  a:\n    shell: sh\n    steps: [{run: x}, {run: y, shell: bash}]\n")
    steps = load_pipeline(path).jobs["a"].steps
    assert [s.shell[0] for s in steps] == ["sh", "bash"]


def test_retry_as_a_number(write: WriteFile) -> None:
    job = load_pipeline(write("jobs:\n  a:\n    retry: 3\n    steps: [{run: x}]\n")).jobs["a"]
    assert (job.retry.max, job.retry.when) == (3, ())


def test_unknown_key_names_the_line_and_the_closest_key(write: WriteFile) -> None:
    path = write("jobs:\n  a:\n    steps: [{run: x}]\n    neds: [b]\n  b:\n    steps: [{run: y}]\n")
    with pytest.raises(PipelineError) as info:
        load_pipeline(path)
    assert str(info.value) == f"{path}:4:5: jobs.a.neds: unknown key (did you mean 'needs'?)"


def test_unknown_step_key(write: WriteFile) -> None:
    path = write("jobs:\n  a:\n    steps:\n      - run: x\n        timout: 5s\n")
    with pytest.raises(
        PipelineError, match=r":5:9: jobs.a.steps.0.timout: unknown key \(did you mean 'timeout'\?\)"
    ):
        load_pipeline(path)


def test_unknown_top_level_key(write: WriteFile) -> None:
    path = write("job:\n  a:\n    steps: [{run: x}]\n")
    with pytest.raises(PipelineError, match=r":1:1: pipeline.job: unknown key \(did you mean 'jobs'\?\)"):
        load_pipeline(path)


def test_broken_yaml_names_the_position(write: WriteFile) -> None:
    path = write("jobs:\n  a:\n    steps: [\n")
    with pytest.raises(PipelineError, match=rf"^{path}:4:1: YAML syntax error: "):
        load_pipeline(path)


def test_duplicate_key(write: WriteFile) -> None:
    path = write("jobs:\n  a:\n    steps: [{run: x}]\n  a:\n    steps: [{run: y}]\n")
    with pytest.raises(PipelineError, match=r":4:3: jobs.a: duplicate key \(first set on line 2\)"):
        load_pipeline(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="file not found"):
        load_pipeline(tmp_path / "nope.yml")


def test_not_utf8(write: WriteFile) -> None:
    path = write("jobs: {}\n")
    path.write_bytes(b"jobs:\n  \xff\xfe: 1\n")
    with pytest.raises(PipelineError, match="not UTF-8"):
        load_pipeline(path)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("jobs: {}\n", "jobs: no jobs defined"),
        ("jobs:\n  a: {}\n", "a job needs 'steps:'"),
        ("jobs:\n  a:\n    steps: [{name: x}]\n", "exactly one of 'run:' or 'uses:'"),
        ("jobs:\n  a:\n    steps: [{run: x, uses: y}]\n", "exactly one of 'run:' or 'uses:'"),
        ("jobs:\n  a:\n    steps: [{run: x, with: {a: 1}}]\n", "'with:' belongs to a 'uses:' step"),
        (
            "jobs:\n  a:\n    timeout: soon\n    steps: [{run: x}]\n",
            "jobs.a.timeout: 'soon' is not a duration",
        ),
        ("jobs:\n  a:\n    retry: {max: -1}\n    steps: [{run: x}]\n", "jobs.a.retry.max: input should be"),
        ("jobs:\n  a:\n    retry: {when: [oops]}\n    steps: [{run: x}]\n", "'oops' is neither an exit code"),
        (
            "jobs:\n  a:\n    manual: maybe\n    steps: [{run: x}]\n",
            "jobs.a.manual: input should be a valid boolean",
        ),
        ("jobs:\n  a:\n    steps: [{run: x, shell: fish}]\n", "shell: 'fish' is not bash, sh, python"),
        ("jobs:\n  a:\n    env: {A: [1]}\n    steps: [{run: x}]\n", "env.A: expected a scalar"),
        ("jobs:\n  a:\n    steps: [{id: s, run: x}, {id: s, run: y}]\n", "duplicate step id 's'"),
        ("- just a list\n", "a pipeline file is a mapping"),
    ],
)
def test_schema_problems(write: WriteFile, body: str, message: str) -> None:
    problems = validate(write(body))
    assert problems, body
    assert message in str(problems[0])


def test_every_problem_is_reported_not_just_the_first(write: WriteFile) -> None:
    path = write(
        """
        jobs:
          a:
            stpes: []
            steps: [{run: x}]
          b:
            timeout: never
            steps: [{run: x}]
          c:
            needs: [zz]
            steps: [{run: x}]
        """
    )
    problems = validate(path)
    assert [(p.pos.line, p.kind.value) for p in problems] == [(3, "schema"), (6, "schema"), (9, "needs")]
    with pytest.raises(PipelineError, match=r"\(and 2 more problems: run `hucheng lego validate`\)"):
        load_pipeline(path)


def test_bad_expression_in_a_step_points_at_the_step_and_the_column(write: WriteFile) -> None:
    path = write("jobs:\n  a:\n    steps:\n      - run: echo ${{ matrix.x == }}\n")
    with pytest.raises(ExpressionError) as info:
        load_pipeline(path)
    message = str(info.value)
    assert message.startswith(f"{path}:4:19: jobs.a.steps.step-1.run: expression 'matrix.x ==', column 12: ")
    assert "unexpected end of expression" in message


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("jobs:\n  a:\n    steps: [{run: 'echo ${{ matrix.os }}'}]\n", "job 'a' has no matrix"),
        (
            "jobs:\n  a:\n    matrix: {os: [l]}\n    steps: [{run: 'echo ${{ matrix.oss }}'}]\n",
            "matrix has no 'oss' (did you mean 'os'?)",
        ),
        (
            "jobs:\n  a:\n    steps: [{run: x}]\n  b:\n    steps: [{run: 'echo ${{ needs.a.result }}'}]\n",
            "does not need 'a'; add it to needs:",
        ),
        ("jobs:\n  a:\n    if: github.ref == 'x'\n    steps: [{run: x}]\n", "unknown name 'github'"),
        ("jobs:\n  a:\n    steps: [{run: x, if: 'sucess()'}]\n", "unknown function sucess()"),
        ("jobs:\n  a:\n    steps: [{run: 'echo ${{ inputs.x }}'}]\n", "'inputs' exists only inside a brick"),
        (
            "jobs:\n  a:\n    steps: [{run: x}]\n"
            "  b:\n    needs: a\n    steps: [{run: '${{ needs.a.outcome }}'}]\n",
            "a need has 'result' and 'outputs'",
        ),
    ],
)
def test_undefined_names_in_expressions(write: WriteFile, body: str, message: str) -> None:
    problems = validate(write(body))
    assert any(message in str(p) for p in problems), [str(p) for p in problems]
    assert all(p.kind.value == "expression" for p in problems)


@pytest.mark.parametrize(
    ("steps_b", "message"),
    [
        (
            "[{run: 'echo ${{ needs.a.outputs.wheell }}'}]",
            "job 'a' has no output 'wheell' (did you mean 'wheel'?)",
        ),
        ("[{run: 'echo ${{ steps.biuld.outputs.x }}'}, {id: build, run: y}]", "no step with id 'biuld'"),
    ],
)
def test_outputs_and_step_ids_are_checked(write: WriteFile, steps_b: str, message: str) -> None:
    path = write(
        "jobs:\n  a:\n    outputs: {wheel: x}\n    steps: [{run: x}]\n"
        f"  b:\n    needs: a\n    steps: {steps_b}\n"
    )
    problems = validate(path)
    assert len(problems) == 1 and message in problems[0].message, [str(p) for p in problems]


def test_a_need_without_outputs(write: WriteFile) -> None:
    b = "  b:\n    needs: a\n    steps: [{run: 'echo ${{ needs.a.outputs.v }}'}]\n"
    path = write("jobs:\n  a:\n    steps: [{run: x}]\n" + b)
    (problem,) = validate(path)
    assert "job 'a' has no output 'v' (it declares no outputs:)" in problem.message


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "jobs:\n  a:\n    if: '${{ env.A }} && ${{ env.B }}'\n    steps: [{run: x}]\n",
            "jobs.a.if: write the condition as one expression (a && b)",
        ),
        (
            "jobs:\n  a:\n    steps: [{run: 'echo ${{ env.A }'}]\n",
            "'${{' without a closing '}}': '${{ env.A }'",
        ),
        (
            "jobs:\n  a:\n    needs: [[x]]\n    steps: [{run: x}]\n",
            "jobs.a.needs.0: input should be a valid string",
        ),
        ("jobs:\n  a:\n    needs: b\n    steps: [{run: x}]\n", "no job named 'b' (there is no other job)"),
        (
            "jobs:\n  a:\n    steps: [{run: false}]\n",
            "jobs.a.steps.0.run: expected text, but YAML reads this unquoted value as a boolean; "
            "put it in quotes",
        ),
        (
            "jobs:\n  a:\n    steps: [{name: True, run: x}]\n",
            "jobs.a.steps.0.name: expected text, but YAML reads this unquoted value as a boolean; "
            "put it in quotes",
        ),
    ],
)
def test_malformed_expressions_and_needs(write: WriteFile, body: str, message: str) -> None:
    problems = validate(write(body))
    assert [message in p.message for p in problems] == [True], [str(p) for p in problems]


def test_a_need_written_as_a_number_is_checked_like_any_other(write: WriteFile) -> None:
    # ``needs: [1]`` is job "1" (numbers keep their text); it used to be left out of the checks, so a
    # need of no job passed, and a cycle through it passed too and then ran as "success" with every
    # job skipped
    (missing,) = validate(write("jobs:\n  a:\n    needs: [1]\n    steps: [{run: x}]\n"))
    assert "jobs.a.needs: no job named '1'" in missing.message
    cyc = "jobs:\n  '1':\n    needs: a\n    steps: [{run: x}]\n  a:\n    needs: 1\n    steps: [{run: x}]\n"
    (cycle,) = validate(write(cyc))
    assert "needs: cycle 1 -> a -> 1" in cycle.message
    ok = write("jobs:\n  '1':\n    steps: [{run: x}]\n  a:\n    needs: [1]\n    steps: [{run: x}]\n")
    assert validate(ok) == []
    assert load_pipeline(ok).jobs["a"].needs == ("1",)


def test_strip_braces_only_takes_one_whole_expression() -> None:
    from lego.spec.expressions import strip_braces, unclosed

    assert strip_braces("${{ a }} && ${{ b }}") == "${{ a }} && ${{ b }}"
    assert unclosed("ok ${{ a }} then ${{ b") == "${{ b"
    assert unclosed("${{ a }}") is None


def test_expression_problems_point_at_the_expression_itself(write: WriteFile) -> None:
    path = write(
        """
        jobs:
          a:
            if: matrix.os == 'x'
            steps:
              - run: |
                  echo start
                  echo "${{ env.A }} and ${{ nope.B }}"
              - run: "say ${{ 1 == }}"
              - if: success() &&
                run: x
        """
    )
    got = sorted((p.pos.line, p.pos.column, p.message.split(": ", 1)[0]) for p in validate(path))
    assert got == [
        (3, 9, "jobs.a.if"),  # the value, after "if: "
        (7, 34, "jobs.a.steps.step-1.run"),  # line 2 of the block, at the second ${{
        (8, 19, "jobs.a.steps.step-2.run"),  # inside the quotes
        (9, 13, "jobs.a.steps.step-3.if"),
    ]


def test_a_tab_in_the_indentation_is_named(write: WriteFile) -> None:
    path = write("jobs:\n\ta:\n    steps: [{run: x}]\n")
    with pytest.raises(
        PipelineError, match=r":2:1: YAML syntax error: .*\(a tab: YAML indents with spaces only\)"
    ):
        load_pipeline(path)
