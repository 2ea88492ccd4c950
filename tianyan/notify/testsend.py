"""``tianyan notify test RECEIVER``: one test alert through every channel of one receiver, now.

It goes through the outbox like any notification (so ``tianyan deliveries`` shows it) but skips
routing, grouping and de-duplication; a failed send is retried later like any other.
"""

from __future__ import annotations

from datetime import datetime

from tianyan.errors import RoutingConfigError
from tianyan.model import Alert
from tianyan.notify import outbox
from tianyan.notify.delivery import DeliverySummary
from tianyan.notify.notification import Notification
from tianyan.notify.outbox import Entry
from tianyan.notify.pipeline import NotifyPipeline


def test_alert(receiver: str, now: datetime) -> Alert:
    return Alert(
        labels={"alertname": "TianyanTestAlert", "severity": "info", "receiver": receiver},
        annotations={
            "summary": "This is a test notification from tianyan (hucheng tianyan notify test)",
            "description": "If you can read this, the channel works.",
        },
        starts_at=now,
    )


def send_test(pipeline: NotifyPipeline, receiver: str, now: datetime) -> DeliverySummary:
    routing = pipeline.routing
    if routing is None:
        raise RoutingConfigError(
            "tianyan.notify.alertmanager_config is not set; point it at an alertmanager.yml"
        )
    found = routing.receivers.get(receiver)
    if found is None:
        known = ", ".join(sorted(routing.receivers)) or "(none)"
        raise RoutingConfigError(f"{routing.path}: no receiver {receiver!r}; known: {known}")
    if not found.integrations:
        raise RoutingConfigError(f"{routing.path}: receiver {receiver!r} has no channel tianyan delivers to")
    alert = test_alert(receiver, now)
    group_key = f'{{}}:{{alertname="TianyanTestAlert"}}/test/{now.isoformat()}'
    entries = []
    for integration in found.integrations:
        note = Notification(
            receiver=receiver,
            group_key=group_key,
            group_labels={"alertname": "TianyanTestAlert"},
            firing=(alert,),
            resolved=(),
            external_url=pipeline.config.external_url,
            language=pipeline.config.language.value,
            now=now,
        )
        entries.append(
            Entry(
                id=outbox.notification_id(integration.id, group_key, [alert.fingerprint], [], now),
                integration=integration.id,
                receiver=receiver,
                target=integration.channel.target(integration.config),
                group_key=group_key,
                status="firing",
                firing=1,
                resolved=0,
                queued_at=now,
                payload=integration.channel.build(note, integration.config, pipeline.renderer),
            )
        )
    pipeline.deliverer.enqueue(entries, [])
    return DeliverySummary(len(entries)) + pipeline.deliverer.deliver_entries(entries, now)
