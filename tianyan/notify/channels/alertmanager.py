"""Forward alerts to an Alertmanager: POST ``/api/v2/alerts`` (tianyan's ``alertmanager_configs``)."""

from __future__ import annotations

from tianyan.notify.channels.interface import Channel, ChannelConfig, Payload, SendContext, post_json
from tianyan.notify.notification import Notification
from tianyan.notify.templates import Renderer


class AlertmanagerConfig(ChannelConfig):
    #: the Alertmanager's base URL, e.g. http://alertmanager:9093
    url: str


class Alertmanager(Channel):
    config_key = "alertmanager_configs"
    name = "alertmanager"
    config_model = AlertmanagerConfig

    def build(self, notification: Notification, config: ChannelConfig, renderer: Renderer) -> Payload:
        alerts = []
        for alert in notification.alerts:
            doc = notification.alert_json(alert)
            item = {
                "labels": doc["labels"],
                "annotations": doc["annotations"],
                "startsAt": doc["startsAt"],
                "generatorURL": doc["generatorURL"],
            }
            if doc["status"] == "resolved":
                item["endsAt"] = doc["endsAt"]
            alerts.append(item)
        return {"body": alerts}

    def send(self, payload: Payload, config: ChannelConfig, ctx: SendContext) -> None:
        assert isinstance(config, AlertmanagerConfig)
        post_json(f"{config.url.rstrip('/')}/api/v2/alerts", payload["body"], ctx, what="alertmanager")

    def target(self, config: ChannelConfig) -> str:
        assert isinstance(config, AlertmanagerConfig)
        return f"alertmanager:{config.url.rstrip('/')}"
