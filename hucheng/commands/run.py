"""``hucheng run``: the main job."""

from __future__ import annotations

import click

from hucheng.context import AppContext, pass_app
from hucheng.errors import UsageError
from hucheng.exitcodes import ExitCode
from hucheng.output.format import format_option, resolve_format
from hucheng.output.table import Column, TableData, emit

STATUS_STYLES = {
    "ok": "green",
    "findings": "red",
    "failed": "red",
    "disabled": "dim",
    "unavailable": "yellow",
}


@click.command(name="run")
@click.option(
    "--push/--no-push", default=None, help="Push run metrics to metrics.pushgateway (default: when set)."
)
@format_option()
@pass_app
def run(app: AppContext, push: bool | None, output_format: str | None) -> int:
    """Run one cycle of every tool enabled in the config; exit 1 if any tool fails or finds something.

    \b
    Each cycle is recorded in the store (kind "cycle") and its metrics
    (hucheng_run_success, hucheng_run_duration_seconds, ...) are pushed to
    the Pushgateway named by metrics.pushgateway, if any.

    \b
    Examples:
      hucheng --config configs/hucheng.yaml run
      HUCHENG_METRICS__PUSHGATEWAY=http://127.0.0.1:9091 hucheng run --format json
    """
    from hucheng.cycle import run_cycle
    from hucheng.metrics import new_registry, push_metrics

    loaded = app.loaded_config()
    settings = loaded.settings
    if push and not settings.metrics.pushgateway:
        raise UsageError("--push needs metrics.pushgateway in the config (or HUCHENG_METRICS__PUSHGATEWAY)")
    registry = new_registry()
    with app.open_store() as store:
        result = run_cycle(settings, store, registry, config_file=str(loaded.file) if loaded.file else None)
    gateway = settings.metrics.pushgateway
    if gateway and push is not False:
        push_metrics(
            registry,
            gateway,
            settings.metrics.job,
            settings.metrics.grouping_key,
            timeout=settings.metrics.timeout,
        )
    rows = [{"tool": o.tool, "status": o.status.value, "detail": o.detail} for o in result.outcomes]
    meta = {
        "record_id": result.record_id,
        "duration_seconds": round(result.duration_seconds, 3),
        "pushed_to": gateway if gateway and push is not False else None,
    }
    columns = [Column("tool"), Column("status", styles=STATUS_STYLES), Column("detail")]
    emit(
        TableData(columns, rows, title="hucheng run", meta=meta),
        resolve_format(output_format, app.output_format),
    )
    return ExitCode.FINDINGS if result.failed else ExitCode.OK
