"""``tianyan serve``: the scheduler and /metrics, /api/alerts, /-/healthy. Logic: tianyan.server."""

from __future__ import annotations

import click

from hucheng.context import AppContext, pass_app
from hucheng.exitcodes import ExitCode


@click.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=9116, show_default=True, help="0: any free port."
)
@click.option(
    "--evaluation-interval", default="15s", show_default=True, help="How often the rules are evaluated."
)
@pass_app
def serve(app: AppContext, host: str, port: int, evaluation_interval: str) -> int:
    """Run every check on its interval and the rules every evaluation interval, deliver alerts, and
    serve /metrics (for Prometheus), /api/alerts and /-/healthy until SIGTERM or Ctrl-C.

    \b
    Examples:
      hucheng tianyan serve
      hucheng --config configs/hucheng.yaml tianyan serve --port 0 --evaluation-interval 5s
    """
    import signal
    from types import FrameType

    from hucheng.durations import parse_duration
    from hucheng.errors import UsageError
    from tianyan.monitor import Monitor
    from tianyan.server import Service
    from tianyan.sink import build_sink

    try:
        interval = parse_duration(evaluation_interval).total_seconds()
    except ValueError as exc:
        raise UsageError(f"--evaluation-interval: {exc}") from None
    settings = app.settings()
    with app.open_store() as store:
        monitor = Monitor.build(settings.tianyan, store, build_sink(settings, store))
        service = Service(monitor, evaluation_interval=interval, host=host, port=port)

        def on_signal(signum: int, frame: FrameType | None) -> None:
            service.stop()

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        click.echo(f"tianyan serving on {service.url} (/metrics, /api/alerts, /-/healthy)", err=True)
        try:
            service.run()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    click.echo("tianyan stopped", err=True)
    return ExitCode.OK
