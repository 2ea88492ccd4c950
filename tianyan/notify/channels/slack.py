"""Slack incoming webhook (Alertmanager's ``slack_configs``): one attachment coloured by status."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from tianyan.notify.channels.interface import (
    Channel,
    ChannelConfig,
    Payload,
    SendContext,
    post_json,
    url_tag,
)
from tianyan.notify.channels.markdownbody import source_for, title, with_language
from tianyan.notify.notification import Notification
from tianyan.notify.templates import Renderer

#: Slack truncates message text beyond 40,000 characters, and takes at most 100 attachments
MAX_TEXT_CHARS = 40_000
MAX_ATTACHMENTS = 100


class SlackConfig(ChannelConfig):
    api_url: str
    send_resolved: bool = False  # Alertmanager's default for Slack
    channel: str | None = None
    username: str | None = None
    icon_emoji: str | None = None
    title: str | None = None
    text: str | None = None


class Slack(Channel):
    config_key = "slack_configs"
    name = "slack"
    config_model = SlackConfig
    ignored_keys = frozenset(
        {
            "http_config",
            "api_url_file",
            "color",
            "pretext",
            "fallback",
            "footer",
            "fields",
            "actions",
            "short_fields",
            "mrkdwn_in",
            "icon_url",
            "link_names",
            "title_link",
            "callback_id",
            "image_url",
            "thumb_url",
        }
    )

    #: incoming webhooks take about one message a second
    rate_per_minute: ClassVar[int | None] = 60

    def merge(
        self, payloads: Sequence[Mapping[str, Any]], config: ChannelConfig
    ) -> tuple[Payload, int] | None:
        bodies = [dict(p["body"]) for p in payloads]
        attachments = list(bodies[0]["attachments"])
        size = sum(len(a["text"]) for a in attachments)
        used = 1
        for body in bodies[1:]:
            extra = sum(len(a["text"]) for a in body["attachments"])
            if size + extra > MAX_TEXT_CHARS or len(attachments) + len(body["attachments"]) > MAX_ATTACHMENTS:
                break
            attachments += body["attachments"]
            size, used = size + extra, used + 1
        return {
            "body": {**bodies[0], "text": f"{bodies[0]['text']} (+{used - 1})", "attachments": attachments}
        }, used

    def apply_globals(self, raw: dict[str, Any], globals_: Mapping[str, Any]) -> dict[str, Any]:
        if "api_url" not in raw and globals_.get("slack_api_url"):
            raw = {**raw, "api_url": globals_["slack_api_url"]}
        return raw

    def build(self, notification: Notification, config: ChannelConfig, renderer: Renderer) -> Payload:
        assert isinstance(config, SlackConfig)
        n = with_language(notification, config)
        head = title(renderer, n, config.title)
        own = config.message or config.text
        source = source_for(config.model_copy(update={"message": own}), "text", n, f"{n.receiver}.slack")
        text = renderer.fit(source, n, MAX_TEXT_CHARS, extra={"title": head}, measure=len)
        body: dict[str, Any] = {
            "text": head,
            "attachments": [{"color": "danger" if n.status == "firing" else "good", "text": text}],
        }
        for key in ("channel", "username", "icon_emoji"):
            value = getattr(config, key)
            if value:
                body[key] = value
        return {"body": body}

    def send(self, payload: Payload, config: ChannelConfig, ctx: SendContext) -> None:
        assert isinstance(config, SlackConfig)
        post_json(config.api_url, payload["body"], ctx, what="slack")  # Slack answers "ok" as text

    def target(self, config: ChannelConfig) -> str:
        assert isinstance(config, SlackConfig)
        return f"slack:{config.api_url.split('/services/')[0]}/services/…#{url_tag(config.api_url)}"
