"""WeCom (企业微信) group robot: markdown (content ≤ 4,096 bytes) or text (≤ 2,048 bytes, with
``mentioned_list``/``mentioned_mobile_list``). Answers HTTP 200 with ``{"errcode": 0}`` on success."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal

from tianyan.notify.channels.interface import (
    Channel,
    ChannelConfig,
    Payload,
    SendContext,
    post_json,
    redact_url,
    url_tag,
    vendor_code,
)
from tianyan.notify.channels.markdownbody import merge_texts, same_kind, source_for, title, with_language
from tianyan.notify.notification import Notification
from tianyan.notify.templates import Renderer

MAX_MARKDOWN_BYTES = 4096
MAX_TEXT_BYTES = 2048


class WeComConfig(ChannelConfig):
    url: str
    msg_type: Literal["markdown", "text"] = "markdown"
    mentioned_list: tuple[str, ...] = ()
    mentioned_mobile_list: tuple[str, ...] = ()
    title: str | None = None


class WeCom(Channel):
    config_key = "wecom_configs"
    name = "wecom"
    config_model = WeComConfig
    rate_per_minute: ClassVar[int | None] = 20

    def build(self, notification: Notification, config: ChannelConfig, renderer: Renderer) -> Payload:
        assert isinstance(config, WeComConfig)
        n = with_language(notification, config)
        head = title(renderer, n, config.title)
        source = source_for(config, config.msg_type, n, f"{notification.receiver}.wecom")
        body: dict[str, Any]
        if config.msg_type == "markdown":
            # markdown messages mention people with <@userid> in the content
            mentions = "".join(f"<@{u}>" for u in config.mentioned_list)
            suffix = f"\n{mentions}" if mentions else ""
            budget = MAX_MARKDOWN_BYTES - len(suffix.encode())
            text = renderer.fit(source, n, budget, extra={"title": head}) + suffix
            body = {"msgtype": "markdown", "markdown": {"content": text}}
        else:
            text = renderer.fit(source, n, MAX_TEXT_BYTES, extra={"title": head})
            body = {
                "msgtype": "text",
                "text": {
                    "content": text,
                    "mentioned_list": list(config.mentioned_list),
                    "mentioned_mobile_list": list(config.mentioned_mobile_list),
                },
            }
        return {"body": body}

    def merge(
        self, payloads: Sequence[Mapping[str, Any]], config: ChannelConfig
    ) -> tuple[Payload, int] | None:
        bodies = same_kind(payloads, "msgtype")
        kind = bodies[0]["msgtype"]
        limit = MAX_MARKDOWN_BYTES if kind == "markdown" else MAX_TEXT_BYTES
        text, used = merge_texts([b[kind]["content"] for b in bodies], lambda t: len(t.encode()) <= limit)
        inner = {**bodies[0][kind], "content": text}
        for key in ("mentioned_list", "mentioned_mobile_list"):
            if key in inner:
                inner[key] = sorted({m for b in bodies[:used] for m in b[kind].get(key, [])})
        return {"body": {"msgtype": kind, kind: inner}}, used

    def send(self, payload: Payload, config: ChannelConfig, ctx: SendContext) -> None:
        assert isinstance(config, WeComConfig)
        resp = post_json(config.url, payload["body"], ctx, what="wecom")
        vendor_code(resp, ("errcode",), "wecom", config.url)

    def target(self, config: ChannelConfig) -> str:
        assert isinstance(config, WeComConfig)
        return f"wecom:{redact_url(config.url)}#{url_tag(config.url)}"
