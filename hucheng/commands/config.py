"""``hucheng config show|validate``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hucheng.config.flatten import config_rows, masked_dump
from hucheng.context import AppContext, pass_app
from hucheng.exitcodes import ExitCode
from hucheng.output.format import format_option, resolve_format
from hucheng.output.jsonout import write_json
from hucheng.output.table import Column, TableData, emit


@click.group(name="config")
def group() -> None:
    """Show the effective configuration and validate config files.

    \b
    Layers, each over the one before: defaults, hucheng.yaml (or --config),
    HUCHENG_* environment (HUCHENG_METRICS__PUSHGATEWAY=... for nested keys),
    and flags such as --store. ${VAR} in the file is replaced from the environment.
    """


@group.command(name="show")
@click.option("--origin", is_flag=True, help="Also show where each value came from.")
@format_option()
@pass_app
def show(app: AppContext, origin: bool, output_format: str | None) -> int:
    """Print the effective config (values from ${VAR} are masked).

    \b
    Examples:
      hucheng config show
      hucheng --config configs/hucheng.yaml config show --origin
      HUCHENG_STORE=sqlite:///tmp/h.db hucheng config show --format json
    """
    loaded = app.loaded_config()
    fmt = resolve_format(output_format, app.output_format)
    if fmt == "json" and not origin:
        write_json(masked_dump(loaded), sys.stdout)
        return ExitCode.OK
    columns = [Column("key"), Column("value")] + ([Column("origin")] if origin else [])
    rows = [{"key": r.key, "value": r.value, "origin": r.origin} for r in config_rows(loaded)]
    if not origin:
        rows = [{"key": r["key"], "value": r["value"]} for r in rows]
    source = str(loaded.file) if loaded.file else "no file (defaults and environment only)"
    emit(TableData(columns, rows, title=f"hucheng config — {source}"), fmt)
    return ExitCode.OK


@group.command(name="validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@format_option()
@pass_app
def validate(app: AppContext, files: tuple[Path, ...], output_format: str | None) -> int:
    """Check config files on their own (without HUCHENG_* overrides); exit 2 if any is wrong.

    \b
    Examples:
      hucheng config validate configs/hucheng.yaml
      hucheng config validate a.yaml b.yaml --format json
    """
    from hucheng.config import load_config
    from hucheng.errors import ConfigError

    rows = []
    for file in files:
        try:
            load_config(file, use_env=False)
            rows.append({"file": str(file), "status": "ok", "problem": ""})
        except ConfigError as exc:
            rows.append({"file": str(file), "status": "invalid", "problem": str(exc)})
            click.echo(exc.report_line(), err=True)
    columns = [Column("file"), Column("status", styles={"ok": "green", "invalid": "red"}), Column("problem")]
    emit(TableData(columns, rows), resolve_format(output_format, app.output_format))
    return ExitCode.USAGE if any(r["status"] != "ok" for r in rows) else ExitCode.OK


@group.command(name="schema")
def schema() -> int:
    """Print the JSON Schema of hucheng.yaml, for editor completion and checks.

    \b
    Examples:
      hucheng config schema > hucheng.schema.json
      # VS Code (redhat.vscode-yaml), first line of hucheng.yaml:
      # yaml-language-server: $schema=./hucheng.schema.json
    """
    from hucheng.config.schema import settings_json_schema

    write_json(settings_json_schema(), sys.stdout)
    return ExitCode.OK
