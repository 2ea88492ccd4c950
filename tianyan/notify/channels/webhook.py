"""Alertmanager's ``webhook_configs``: the version-4 JSON payload, POSTed to a URL."""

from __future__ import annotations

from tianyan.notify.channels.interface import (
    Channel,
    ChannelConfig,
    Payload,
    SendContext,
    post_json,
    redact_url,
)
from tianyan.notify.notification import Notification
from tianyan.notify.templates import Renderer


class WebhookConfig(ChannelConfig):
    url: str
    #: at most this many alerts in one payload (0: all); the rest are counted in truncatedAlerts
    max_alerts: int = 0


class Webhook(Channel):
    config_key = "webhook_configs"
    name = "webhook"
    config_model = WebhookConfig
    ignored_keys = frozenset({"http_config", "url_file"})

    def build(self, notification: Notification, config: ChannelConfig, renderer: Renderer) -> Payload:
        assert isinstance(config, WebhookConfig)
        return {"body": notification.webhook_payload(config.max_alerts)}

    def send(self, payload: Payload, config: ChannelConfig, ctx: SendContext) -> None:
        assert isinstance(config, WebhookConfig)
        post_json(config.url, payload["body"], ctx, what="webhook")

    def target(self, config: ChannelConfig) -> str:
        assert isinstance(config, WebhookConfig)
        return f"webhook:{redact_url(config.url)}"
