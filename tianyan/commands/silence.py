"""``hucheng tianyan silence add|ls|expire``. Logic: tianyan.notify.silences."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import click

from hucheng.context import AppContext, pass_app
from hucheng.exitcodes import ExitCode
from hucheng.output.format import format_option, resolve_format
from hucheng.output.jsonout import write_json
from hucheng.output.table import Column, TableData, emit

COLUMNS = [
    Column("id"),
    Column("state", styles={"active": "green", "expired": "dim", "pending": "yellow"}),
    Column("matchers"),
    Column("ends_at", "ends"),
    Column("created_by", "by"),
    Column("comment"),
]


@click.group(name="silence")
def group() -> None:
    """Mute alerts that match for a while (kept in the record store).

    \b
    Examples:
      hucheng tianyan silence add --matcher 'service="pay"' --duration 2h --comment "db migration"
      hucheng tianyan silence ls
      hucheng tianyan silence expire 3f2a9c
    """


@group.command(name="add")
@click.option(
    "--matcher",
    "matchers",
    multiple=True,
    required=True,
    metavar="MATCHER",
    help='Alertmanager matcher: name="v", !=, =~, !~ (repeatable; all must match).',
)
@click.option("--duration", required=True, metavar="DURATION", help="How long, e.g. 2h, 30m, 1d.")
@click.option("--comment", required=True, help="Why (shown in `silence ls`).")
@click.option("--author", default=None, help="Who (default: the login name).")
@format_option()
@pass_app
def add(
    app: AppContext,
    matchers: tuple[str, ...],
    duration: str,
    comment: str,
    author: str | None,
    output_format: str | None,
) -> int:
    """Add a silence; print its id.

    \b
    Examples:
      hucheng tianyan silence add --matcher 'service="pay"' --duration 2h --comment "db migration"
      hucheng tianyan silence add --matcher 'alertname=~"Disk.*"' --matcher 'env="staging"' \\
          --duration 1d --comment "staging rebuild" --author alice --format json
    """
    import getpass

    from hucheng.durations import parse_duration
    from tianyan.errors import SilenceError
    from tianyan.notify.report import silence_row
    from tianyan.notify.silences import add_silence

    try:
        length = parse_duration(duration)
    except ValueError as exc:
        raise SilenceError(f"--duration: {exc}") from exc
    now = datetime.now(UTC)
    with app.open_store() as store:
        silence = add_silence(
            store, matchers, length, comment=comment, author=author or getpass.getuser(), now=now
        )
    if resolve_format(output_format, app.output_format) == "json":
        write_json(silence_row(silence, now), sys.stdout)
    else:
        click.echo(f"silence {silence.id} active until {silence.ends_at.isoformat(timespec='seconds')}")
    return ExitCode.OK


@group.command(name="ls")
@click.option("--all", "show_all", is_flag=True, help="Also expired silences.")
@format_option()
@pass_app
def ls(app: AppContext, show_all: bool, output_format: str | None) -> int:
    """List active and pending silences (--all: expired ones too).

    \b
    Examples:
      hucheng tianyan silence ls
      hucheng tianyan silence ls --all --format json
    """
    from tianyan.notify.report import silence_row
    from tianyan.notify.silences import list_silences

    now = datetime.now(UTC)
    with app.open_store() as store:
        rows = [silence_row(s, now) for s in list_silences(store)]
    if not show_all:
        rows = [r for r in rows if r["state"] != "expired"]
    emit(TableData(COLUMNS, rows, title="silences"), resolve_format(output_format, app.output_format))
    return ExitCode.OK


@group.command(name="expire")
@click.argument("silence_id", metavar="ID")
@format_option()
@pass_app
def expire(app: AppContext, silence_id: str, output_format: str | None) -> int:
    """End a silence now (an id prefix is enough when it is unique).

    \b
    Examples:
      hucheng tianyan silence expire 3f2a9c
    """
    from tianyan.notify.report import silence_row
    from tianyan.notify.silences import expire_silence

    now = datetime.now(UTC)
    with app.open_store() as store:
        silence = expire_silence(store, silence_id, now)
    if resolve_format(output_format, app.output_format) == "json":
        write_json(silence_row(silence, now), sys.stdout)
    else:
        click.echo(f"silence {silence.id} expired")
    return ExitCode.OK
