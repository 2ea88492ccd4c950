"""DingTalk custom robot: markdown or text, ``at`` mentions, HMAC-SHA256 signing, 20,000-byte bodies.

Signing (when ``secret`` is set): ``timestamp`` in milliseconds and
``sign = base64(HMAC-SHA256(key=secret, msg=timestamp + "\\n" + secret))``, both in the query string
(URL-encoded). The robot answers HTTP 200 with ``{"errcode": 0}``; anything else is a failure.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
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


class DingTalkConfig(ChannelConfig):
    url: str
    secret: str | None = None
    msg_type: Literal["markdown", "text"] = "markdown"
    at_mobiles: tuple[str, ...] = ()
    at_user_ids: tuple[str, ...] = ()
    at_all: bool = False
    title: str | None = None


def sign(secret: str, timestamp_ms: int) -> str:
    msg = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), msg, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class DingTalk(Channel):
    config_key = "dingtalk_configs"
    name = "dingtalk"
    config_model = DingTalkConfig
    rate_per_minute: ClassVar[int | None] = 20

    def build(self, notification: Notification, config: ChannelConfig, renderer: Renderer) -> Payload:
        assert isinstance(config, DingTalkConfig)
        n = with_language(notification, config)
        head = title(renderer, n, config.title)
        at: dict[str, Any] = {
            "atMobiles": list(config.at_mobiles),
            "atUserIds": list(config.at_user_ids),
            "isAtAll": config.at_all,
        }
        # DingTalk only notifies @mentioned people when the text contains "@<mobile>"
        mentions = " ".join(f"@{m}" for m in (*config.at_mobiles, *config.at_user_ids))

        def wrap(text: str) -> dict[str, Any]:
            body = text + (f"\n{mentions}\n" if mentions else "")
            if config.msg_type == "markdown":
                return {"msgtype": "markdown", "markdown": {"title": head, "text": body}, "at": at}
            return {"msgtype": "text", "text": {"content": body}, "at": at}

        kind = "markdown" if config.msg_type == "markdown" else "text"
        text = renderer.fit(
            source_for(config, kind, n, f"{notification.receiver}.dingtalk"),
            n,
            MAX_BODY_BYTES,
            extra={"title": head},
            measure=json_size(wrap),
        )
        return {"body": wrap(text)}

    def merge(
        self, payloads: Sequence[Mapping[str, Any]], config: ChannelConfig
    ) -> tuple[Payload, int] | None:
        bodies = same_kind(payloads, "msgtype")
        kind = bodies[0]["msgtype"]
        field = "text" if kind == "markdown" else "content"
        at = {
            "atMobiles": sorted({m for b in bodies for m in b.get("at", {}).get("atMobiles", [])}),
            "atUserIds": sorted({u for b in bodies for u in b.get("at", {}).get("atUserIds", [])}),
            "isAtAll": any(b.get("at", {}).get("isAtAll", False) for b in bodies),
        }

        def wrap(text: str) -> dict[str, Any]:
            return {**bodies[0], kind: {**bodies[0][kind], field: text}, "at": at}

        size = json_size(wrap)
        text, used = merge_texts([b[kind][field] for b in bodies], lambda t: size(t) <= MAX_BODY_BYTES)
        body = wrap(text)
        if kind == "markdown":
            body["markdown"]["title"] = f"{bodies[0]['markdown']['title']} (+{used - 1})"
        return {"body": body}, used

    def send(self, payload: Payload, config: ChannelConfig, ctx: SendContext) -> None:
        assert isinstance(config, DingTalkConfig)
        params = None
        if config.secret:
            ts = int(time.time() * 1000)
            params = {"timestamp": str(ts), "sign": sign(config.secret, ts)}
        resp = post_json(config.url, payload["body"], ctx, what="dingtalk", params=params)
        vendor_code(resp, ("errcode",), "dingtalk", config.url)

    def target(self, config: ChannelConfig) -> str:
        assert isinstance(config, DingTalkConfig)
        return f"dingtalk:{redact_url(config.url)}#{url_tag(config.url)}"
