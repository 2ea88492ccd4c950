"""``hucheng store``: inspect, list, prune, export and import the record store. Logic: hucheng.store."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from hucheng.context import AppContext, pass_app
from hucheng.exitcodes import ExitCode
from hucheng.output.format import format_option, resolve_format
from hucheng.output.jsonout import write_json
from hucheng.output.table import Column, TableData, emit

if TYPE_CHECKING:
    from hucheng.store import Query, Record, Store, StoreStats

kind_option = click.option(
    "--kind", "kinds", multiple=True, metavar="KIND", help="Only records of this kind (repeatable)."
)
since_option = click.option(
    "--since", metavar="AGE|TIME", help="From this long ago (24h) or this time (ISO)."
)


@click.group(name="store")
def group() -> None:
    """Inspect, prune, export and import the record store.

    \b
    The store is given by --store URL, HUCHENG_STORE, `store:` in hucheng.yaml,
    else sqlite:///<HUCHENG_HOME or the user data dir>/hucheng.db.

    \b
    Examples:
      hucheng store info
      hucheng --store sqlite:////var/lib/hucheng/hucheng.db store ls --kind cycle --since 24h
    """


@group.command(name="info")
@format_option()
@pass_app
def info(app: AppContext, output_format: str | None) -> int:
    """Show where the store is, its schema version, size, and records per kind.

    \b
    Examples:
      hucheng store info
      hucheng store info --format json
    """
    with app.open_store() as store:
        stats = store.stats()
    if resolve_format(output_format, app.output_format) == "json":
        write_json(_stats_json(stats), sys.stdout)
    else:
        emit(_stats_table(stats), "table")
    return ExitCode.OK


@group.command(name="ls")
@kind_option
@since_option
@click.option("--until", metavar="AGE|TIME", help="Before this long ago (1h) or this time (ISO).")
@click.option("--label", "labels", multiple=True, metavar="K=V", help="Only records with this label.")
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True, help="0 for all.")
@click.option("--oldest-first", is_flag=True, help="Oldest records first (default: newest first).")
@format_option()
@pass_app
def ls(
    app: AppContext,
    kinds: tuple[str, ...],
    since: str | None,
    until: str | None,
    labels: tuple[str, ...],
    limit: int,
    oldest_first: bool,
    output_format: str | None,
) -> int:
    """List records, newest first.

    \b
    Examples:
      hucheng store ls --kind cycle --since 24h
      hucheng store ls --label service=payments --since 2024-05-01 --until 2024-05-02 --format json
    """
    from hucheng.store.records import record_to_json

    q = _query(kinds, since, until, labels, limit=limit or None, newest_first=not oldest_first)
    with app.open_store() as store:
        _check_kinds(store, kinds)
        records = list(store.query(q))
    if resolve_format(output_format, app.output_format) == "json":
        write_json([record_to_json(r) for r in records], sys.stdout)
    else:
        emit(_records_table(records), "table")
    return ExitCode.OK


@group.command(name="prune")
@click.option("--older-than", required=True, metavar="AGE", help="Remove records older than this (90d).")
@kind_option
@click.option("--dry-run", is_flag=True, help="Only count what would be removed.")
@format_option()
@pass_app
def prune(
    app: AppContext, older_than: str, kinds: tuple[str, ...], dry_run: bool, output_format: str | None
) -> int:
    """Remove records older than an age, of some kinds or all.

    \b
    Examples:
      hucheng store prune --older-than 90d
      hucheng store prune --older-than 30d --kind cycle --dry-run
    """
    from hucheng.store import Query
    from hucheng.store.filters import parse_time_bound

    before = parse_time_bound(older_than, now=datetime.now(UTC), option="--older-than")
    with app.open_store() as store:
        _check_kinds(store, kinds)
        count = store.count(Query(kinds=kinds, until=before)) if dry_run else store.prune(before, kinds)
    if resolve_format(output_format, app.output_format) == "json":
        summary = {"removed": 0 if dry_run else count, "would_remove": count if dry_run else 0}
        write_json({**summary, "before": before, "kinds": list(kinds), "dry_run": dry_run}, sys.stdout)
    else:
        verb = "would remove" if dry_run else "removed"
        click.echo(f"{verb} {count} record(s) older than {before.isoformat(timespec='seconds')}")
    return ExitCode.OK


@group.command(name="export")
@kind_option
@since_option
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="File (default: stdout)."
)
@pass_app
def export(app: AppContext, kinds: tuple[str, ...], since: str | None, output: Path | None) -> int:
    """Write records as JSON lines (oldest first), to stdout or a file.

    \b
    Examples:
      hucheng store export > records.jsonl
      hucheng store export --kind cycle --since 30d -o cycles.jsonl
    """
    from hucheng.output.progress import progress_display
    from hucheng.store.jsonl import export_jsonl, export_to_file

    q = _query(kinds, since, None, (), limit=None, newest_first=False)
    with app.open_store() as store, progress_display() as on_progress:
        _check_kinds(store, kinds)
        if output is None:
            export_jsonl(store, q, sys.stdout, on_progress)
        else:
            count = export_to_file(store, q, output, on_progress)
            click.echo(f"exported {count} record(s) to {output}", err=True)
    return ExitCode.OK


@group.command(name="import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@format_option()
@pass_app
def import_(app: AppContext, file: Path, output_format: str | None) -> int:
    """Read records from a JSON lines file (as `store export` writes it).

    Every line is checked first; one bad line and nothing is written. Records whose id is already
    in the store are ignored, so importing the same file twice adds nothing.

    \b
    Examples:
      hucheng store import records.jsonl
      hucheng --store sqlite:///copy.db store import records.jsonl --format json
    """
    from hucheng.output.progress import progress_display
    from hucheng.store.jsonl import import_jsonl

    with app.open_store() as store, progress_display() as on_progress:
        result = import_jsonl(store, file, on_progress)
    if resolve_format(output_format, app.output_format) == "json":
        write_json(result, sys.stdout)
    else:
        click.echo(f"imported {file}: {result.written} written, {result.ignored} ignored (already stored)")
    return ExitCode.OK


def _query(
    kinds: tuple[str, ...],
    since: str | None,
    until: str | None,
    labels: tuple[str, ...],
    *,
    limit: int | None,
    newest_first: bool,
) -> Query:
    from hucheng.store import Query
    from hucheng.store.filters import parse_labels, parse_time_bound

    now = datetime.now(UTC)
    return Query(
        kinds=kinds,
        since=None if since is None else parse_time_bound(since, now=now, option="--since"),
        until=None if until is None else parse_time_bound(until, now=now, option="--until"),
        labels=parse_labels(labels),
        limit=limit,
        newest_first=newest_first,
    )


def _check_kinds(store: Store, kinds: tuple[str, ...]) -> None:
    """A --kind that names no known kind is a typo, not an empty result: say so (exit 2)."""
    for kind in kinds:
        store.kinds.get(kind)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds")


def _stats_table(stats: StoreStats) -> TableData:
    rows: list[dict[str, Any]] = [
        {"field": "location", "value": stats.location},
        {"field": "schema version", "value": stats.schema_version},
        {"field": "size", "value": f"{stats.size_bytes or 0:,} bytes"},
        {"field": "records", "value": stats.total},
        {"field": "oldest", "value": _iso(stats.oldest) or "-"},
        {"field": "newest", "value": _iso(stats.newest) or "-"},
    ]
    rows += [{"field": f"records: {kind}", "value": count} for kind, count in stats.counts.items()]
    return TableData(columns=[Column("field"), Column("value")], rows=rows, title="record store")


def _stats_json(stats: StoreStats) -> dict[str, Any]:
    return {
        "location": stats.location,
        "schema_version": stats.schema_version,
        "size_bytes": stats.size_bytes,
        "total": stats.total,
        "counts": dict(stats.counts),
        "oldest": stats.oldest,
        "newest": stats.newest,
    }


def _records_table(records: list[Record]) -> TableData:
    rows = [
        {
            "time": record.time.strftime("%Y-%m-%d %H:%M:%S"),
            "kind": record.kind,
            "labels": ",".join(f"{k}={v}" for k, v in sorted(record.labels.items())),
            "id": record.id,
        }
        for record in records
    ]
    columns = [Column("time", "time (UTC)"), Column("kind"), Column("labels"), Column("id")]
    return TableData(columns=columns, rows=rows)
