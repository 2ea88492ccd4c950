"""``tianyan rules lint|test``: check Prometheus rule files; run promtool's unit-test files."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hucheng.context import AppContext, pass_app
from hucheng.exitcodes import ExitCode
from hucheng.output.format import format_option, resolve_format
from hucheng.output.jsonout import write_json

files_argument = click.argument(
    "files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False, exists=True)
)


@click.group(name="rules")
def group() -> None:
    """Lint Prometheus rule files and run promtool-format rule tests.

    \b
    Examples:
      hucheng tianyan rules lint configs/tianyan/rules.yml
      hucheng tianyan rules test configs/tianyan/rules_test.yml
    """


@group.command(name="lint")
@files_argument
@click.option(
    "--no-local", is_flag=True, help="Do not require the local evaluator's subset (Prometheus only)."
)
@format_option()
@pass_app
def lint(app: AppContext, files: tuple[Path, ...], no_local: bool, output_format: str | None) -> int:
    """Check rule files: YAML, PromQL syntax (with position), functions outside the local subset,
    templates tianyan cannot render. Exit 1 when anything is found.

    \b
    Examples:
      hucheng tianyan rules lint configs/tianyan/rules.yml
      hucheng tianyan rules lint --no-local --format json rules/*.yml
    """
    from tianyan.rules.lint import lint_files

    report = lint_files(list(files), local=not no_local)
    if resolve_format(output_format, app.output_format) == "json":
        write_json(report, sys.stdout)
    else:
        for p in report.problems:
            click.echo(f"{p.where}: {p.rule + ': ' if p.rule else ''}{p.message}")
        verdict = "OK" if not report.problems else f"{len(report.problems)} problem(s)"
        click.echo(f"{report.files} file(s), {report.rules} rule(s): {verdict}")
    return ExitCode.FINDINGS if report.problems else ExitCode.OK


@group.command(name="test")
@files_argument
@format_option()
@pass_app
def test(app: AppContext, files: tuple[Path, ...], output_format: str | None) -> int:
    """Run promtool rule unit-test files (`promtool test rules` format); exit 1 when a test fails,
    showing expected (-) against got (+).

    \b
    Examples:
      hucheng tianyan rules test configs/tianyan/rules_test.yml
      hucheng tianyan rules test tests/*.yml --format json
    """
    from tianyan.rules.promtest import run_test_file

    results = [run_test_file(f) for f in files]
    if resolve_format(output_format, app.output_format) == "json":
        write_json([{**r.__dict__, "passed": r.passed} for r in results], sys.stdout)
    else:
        for r in results:
            click.echo(
                f"{r.file}: {'SUCCESS' if r.passed else 'FAILED'} ({r.tests} test(s), {r.checks} check(s))"
            )
            for failure in r.failures:
                click.echo(f"  {failure.test}:")
                for line in failure.diff():
                    click.echo(f"    {line}")
    return ExitCode.OK if all(r.passed for r in results) else ExitCode.FINDINGS
