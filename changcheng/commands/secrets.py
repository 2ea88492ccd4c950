"""``hucheng changcheng secrets``: leaked secrets in a tree or in git history.
Logic: changcheng.secrets.run."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from changcheng.commands.reportout import output_options
from changcheng.findings import Severity
from changcheng.report import EXTRA_FORMATS
from hucheng.context import AppContext, pass_app
from hucheng.output.format import format_option, resolve_format


@click.command(name="secrets")
@click.argument("path", required=False, type=click.Path(path_type=Path), default=Path("."))
@click.option(
    "--history", is_flag=True, help="Scan every line every commit added (git log -p), not the tree."
)
@click.option(
    "--commits",
    "revisions",
    metavar="RANGE",
    default="",
    help="Only these commits, a git range such as origin/main..HEAD (implies --history; default: all refs).",
)
@click.option(
    "--rules", type=click.Path(path_type=Path, dir_okay=False), help="A gitleaks-format TOML rule file."
)
@click.option(
    "--no-builtin", is_flag=True, help="With --rules, run only those rules, not the built-in ones too."
)
@click.option(
    "--baseline", type=click.Path(path_type=Path, dir_okay=False), help="Accept findings listed here."
)
@click.option(
    "--write-baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the findings (and those already accepted) to this baseline file.",
)
@click.option("--redact/--no-redact", default=None, help="Show secrets redacted (default) or in full.")
@click.option(
    "--fail-on",
    type=click.Choice([s.value for s in Severity if s is not Severity.UNKNOWN]),
    help="Lowest severity that fails.",
)
@output_options
@format_option(*EXTRA_FORMATS)
@pass_app
def command(
    app: AppContext,
    path: Path,
    history: bool,
    revisions: str,
    rules: Path | None,
    no_builtin: bool,
    baseline: Path | None,
    write_baseline: Path | None,
    redact: bool | None,
    fail_on: str | None,
    output: Path | None,
    no_store: bool,
    output_format: str | None,
) -> int:
    """Find leaked secrets (keys, tokens, passwords) in files or git history.

    \b
    Rules: changcheng's built-in set, plus --rules FILE in gitleaks' TOML format.
    Skips binary and large files and what .gitignore ignores; a line with
    `gitleaks:allow` or `hucheng:allow` is accepted. Exit 0 clean, 1 findings at
    or above --fail-on (default: any), 2 bad input (rules, baseline, path, git).

    \b
    Examples:
      hucheng changcheng secrets .
      hucheng changcheng secrets . --history --format sarif -o secrets.sarif
      hucheng changcheng secrets . --history --commits origin/main..HEAD
      hucheng changcheng secrets . --write-baseline .changcheng-baseline.json
      hucheng changcheng secrets . --baseline .changcheng-baseline.json --format markdown
      hucheng changcheng secrets src --rules gitleaks.toml --no-builtin --format json
    """
    settings = app.settings()
    from changcheng.commands.reportout import write_report
    from changcheng.secrets.failon import SecretsFailOn
    from changcheng.secrets.run import SecretsRequest, run_secrets_scan
    from hucheng.output.progress import progress_display

    config = settings.changcheng.secrets
    if no_builtin:
        config = config.model_copy(update={"builtin_rules": False})
    request = SecretsRequest(
        target=path,
        history=history or bool(revisions),
        revisions=revisions,
        rules=rules,
        baseline=baseline,
        write_baseline=write_baseline,
        redact=redact,
        fail_on=SecretsFailOn(fail_on) if fail_on else None,
    )
    with progress_display() as on_progress:
        outcome = run_secrets_scan(request, config, on_progress=on_progress)
    if not no_store:
        from changcheng.alerting import record_and_alert

        with app.open_store() as store:
            record_and_alert(store, outcome.report, settings, mode=_store_mode(request.history, revisions))
    write_report(outcome.report, resolve_format(output_format, app.output_format), output, sys.stdout)
    return outcome.exit_code


def _store_mode(history: bool, revisions: str) -> str:
    """Scans whose findings must not mark each other's fixed: the tree, all history, each range."""
    if not history:
        return ""
    return f"history {revisions}" if revisions else "history"
