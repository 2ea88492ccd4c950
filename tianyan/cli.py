"""``hucheng tianyan`` (alias ``monitor``): the command-line layer over the tianyan library."""

from __future__ import annotations

import click

from hucheng.lazycommands import LazyCommands

#: subcommand -> ("module:attr", short help); one module per command under tianyan.commands
COMMANDS: dict[str, tuple[str, str]] = {
    "check": (
        "tianyan.commands.check:check",
        "Run checks and rules once, deliver; exit 1 while alerts fire.",
    ),
    "serve": (
        "tianyan.commands.serve:serve",
        "Run checks and rules on schedule; serve /metrics and /api/alerts.",
    ),
    "alerts": ("tianyan.commands.alerts:alerts", "Show pending, firing and just-resolved alerts."),
    "checks": ("tianyan.commands.checks:group", "List the configured checks, or run one now."),
    "rules": ("tianyan.commands.rules:group", "Lint Prometheus rule files; run promtool rule tests."),
    "silence": ("tianyan.commands.silence:group", "Add, list and expire silences."),
    "notify": ("tianyan.commands.notify:group", "Send a test alert to a receiver; show where labels route."),
    "deliveries": ("tianyan.commands.deliveries:deliveries", "Show notifications sent, retrying, given up."),
}


@click.group(name="tianyan", cls=LazyCommands, lazy=COMMANDS)
def group() -> None:
    """Tianyan (天眼): monitoring and alerting — checks, alert rules, routing and delivery."""
