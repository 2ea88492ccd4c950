"""Feishu/Lark custom bot: text or an interactive card, optional signing.

Signing (when ``secret`` is set): ``timestamp`` in seconds and
``sign = base64(HMAC-SHA256(key=timestamp + "\\n" + secret, msg=""))``, both in the JSON body (the
reverse of DingTalk's roles). The bot answers ``{"code": 0}`` (older: ``{"StatusCode": 0}``).
Request bodies are limited to 20 KB.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal

from tianyan.notify.channels.interface import (
    Channel,
    ChannelConfig,
    Payload,
    SendContext,
    post_json,
    url_tag,
    vendor_code,
)
from tianyan.notify.channels.markdownbody import (
    json_size,
    merge_texts,
    same_kind,
    source_for,
    title,
    with_language,
)
from tianyan.notify.notification import Notification
from tianyan.notify.templates import Renderer

MAX_BODY_BYTES = 20_000
_SIGN_ROOM = 120  # the timestamp and sign keys added at send time


class FeishuConfig(ChannelConfig):
    url: str
    secret: str | None = None
    msg_type: Literal["text", "interactive"] = "interactive"
    title: str | None = None


def sign(secret: str, timestamp_s: int) -> str:
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


class Feishu(Channel):
    config_key = "feishu_configs"
    name = "feishu"
    config_model = FeishuConfig
    rate_per_minute: ClassVar[int | None] = 100

    def build(self, notification: Notification, config: ChannelConfig, renderer: Renderer) -> Payload:
        assert isinstance(config, FeishuConfig)
        n = with_language(notification, config)
        head = title(renderer, n, config.title)
        color = "red" if n.status == "firing" else "green"

        def wrap(text: str) -> dict[str, Any]:
            if config.msg_type == "text":
                return {"msg_type": "text", "content": {"text": text}}
            return {
                "msg_type": "interactive",
                "card": {
                    "config": {"wide_screen_mode": True},
                    "header": {"title": {"tag": "plain_text", "content": head}, "template": color},
                    "elements": [{"tag": "markdown", "content": text}],
                },
            }

        kind = "text" if config.msg_type == "text" else "markdown"
        text = renderer.fit(
            source_for(config, kind, n, f"{notification.receiver}.feishu"),
            n,
            MAX_BODY_BYTES - _SIGN_ROOM,
            extra={"title": head},
            measure=json_size(wrap),
        )
        return {"body": wrap(text)}

    def merge(
        self, payloads: Sequence[Mapping[str, Any]], config: ChannelConfig
    ) -> tuple[Payload, int] | None:
        bodies = same_kind(payloads, "msg_type")
        limit = MAX_BODY_BYTES - _SIGN_ROOM
        if bodies[0]["msg_type"] == "text":

            def wrap(text: str) -> dict[str, Any]:
                return {"msg_type": "text", "content": {"text": text}}

            size = json_size(wrap)
            text, used = merge_texts([b["content"]["text"] for b in bodies], lambda t: size(t) <= limit)
            return {"body": wrap(text)}, used
        card = dict(bodies[0]["card"])
        elements = list(card["elements"])
        used = 1
        for body in bodies[1:]:
            candidate = [*elements, {"tag": "hr"}, *body["card"]["elements"]]
            trial = {"msg_type": "interactive", "card": {**card, "elements": candidate}}
            if len(json.dumps(trial, ensure_ascii=False).encode()) > limit:
                break
            elements, used = candidate, used + 1
        return {"body": {"msg_type": "interactive", "card": {**card, "elements": elements}}}, used

    def send(self, payload: Payload, config: ChannelConfig, ctx: SendContext) -> None:
        assert isinstance(config, FeishuConfig)
        body = dict(payload["body"])
        if config.secret:
            ts = int(time.time())
            body = {"timestamp": str(ts), "sign": sign(config.secret, ts), **body}
        resp = post_json(config.url, body, ctx, what="feishu")
        vendor_code(resp, ("code", "StatusCode"), "feishu", config.url)

    def target(self, config: ChannelConfig) -> str:
        assert isinstance(config, FeishuConfig)
        return f"feishu:{config.url.rsplit('/', 1)[0]}/…#{url_tag(config.url)}"
