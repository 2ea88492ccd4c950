"""The channel interface: turn a notification into a payload, and deliver a payload.

A payload is plain JSON data, written to the outbox before it is sent, so a retry after a crash
sends exactly what was decided; secrets (tokens in URLs, signing keys, SMTP passwords) stay in the
config and are applied at send time, never written to the store.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import requests
from pydantic import BaseModel, ConfigDict, field_validator

from hucheng.durations import parse_duration
from hucheng.httperrors import describe_request_error
from tianyan.errors import ChannelError
from tianyan.notify.notification import Notification
from tianyan.notify.templates import Renderer

Payload = dict[str, Any]


class ChannelConfig(BaseModel):
    """One entry of a receiver's ``*_configs`` list. Subclasses add their fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    send_resolved: bool = True
    #: Jinja2 text overriding the channel's default message template
    message: str | None = None
    #: a Jinja2 template file overriding the default message template
    template: str | None = None
    #: zh or en; default: tianyan.notify.language
    language: Literal["zh", "en"] | None = None
    #: per-send timeout for this channel (e.g. 5s); default: tianyan.notify.send_timeout
    timeout: str | None = None

    @field_validator("timeout")
    @classmethod
    def _timeout(cls, value: str | None) -> str | None:
        if value is not None and parse_duration(value).total_seconds() <= 0:
            raise ValueError(f"timeout {value!r} must be more than 0s")
        return value

    def timeout_seconds(self, default: float) -> float:
        return parse_duration(self.timeout).total_seconds() if self.timeout else default


@dataclass(frozen=True)
class SendContext:
    timeout: float
    session: requests.Session


class Channel(ABC):
    """One kind of destination. Instances hold no state; the registry in ``channels/__init__``
    maps an Alertmanager receiver key (``dingtalk_configs``) to one."""

    #: the receiver key in alertmanager.yml
    config_key: ClassVar[str]
    name: ClassVar[str]
    config_model: ClassVar[type[ChannelConfig]]
    #: Alertmanager keys this channel accepts and ignores (reported once when the config loads)
    ignored_keys: ClassVar[frozenset[str]] = frozenset({"http_config"})
    #: messages a minute to one target (None: no limit)
    rate_per_minute: ClassVar[int | None] = None

    @abstractmethod
    def build(self, notification: Notification, config: ChannelConfig, renderer: Renderer) -> Payload:
        """The payload to deliver (within the channel's size limits)."""

    @abstractmethod
    def send(self, payload: Payload, config: ChannelConfig, ctx: SendContext) -> None:
        """Deliver; raise :class:`ChannelError` (one line, no secrets) when it did not arrive."""

    @abstractmethod
    def target(self, config: ChannelConfig) -> str:
        """Where it goes, without secrets (for messages, rate limits and `tianyan deliveries`)."""

    def merge(
        self, payloads: Sequence[Mapping[str, Any]], config: ChannelConfig
    ) -> tuple[Payload, int] | None:
        """One payload carrying the first ``n`` of ``payloads`` (as many as fit), and ``n``; used when a
        rate limit would hold messages back. None: this channel does not batch."""
        return None

    def apply_globals(self, raw: dict[str, Any], globals_: Mapping[str, Any]) -> dict[str, Any]:
        """Fill defaults from alertmanager.yml's ``global:`` section into a raw config entry."""
        return raw


def redact_url(url: str) -> str:
    """The URL without its query string (robot tokens live there)."""
    return url.split("?", 1)[0]


def url_tag(url: str) -> str:
    """A short, stable tag telling two robots on the same host apart without showing their token."""
    import hashlib

    return hashlib.sha256(url.encode()).hexdigest()[:8]


def post_json(
    url: str, body: Mapping[str, Any], ctx: SendContext, *, what: str, params: Mapping[str, str] | None = None
) -> requests.Response:
    """POST JSON; translate requests' errors and non-2xx statuses into :class:`ChannelError`."""
    import json

    data = json.dumps(body, ensure_ascii=False).encode()
    try:
        resp = ctx.session.post(
            url,
            data=data,
            params=params,
            headers={"Content-Type": "application/json; charset=utf-8"},
            timeout=ctx.timeout,
        )
    except requests.Timeout as exc:
        raise ChannelError(f"{what} {redact_url(url)}: no answer within {ctx.timeout:g}s") from exc
    except requests.RequestException as exc:
        raise ChannelError(f"{what} {redact_url(url)}: {describe_request_error(exc)}") from exc
    if not 200 <= resp.status_code < 300:
        raise ChannelError(f"{what} {redact_url(url)}: HTTP {resp.status_code}: {resp.text[:200].strip()}")
    return resp


def vendor_code(resp: requests.Response, keys: tuple[str, ...], what: str, url: str) -> None:
    """Vendor robots answer 200 with ``{"errcode": n}`` / ``{"code": n}``; non-zero is a failure."""
    try:
        body = resp.json()
    except ValueError as exc:
        raise ChannelError(f"{what} {redact_url(url)}: answer is not JSON: {resp.text[:200]!r}") from exc
    if not isinstance(body, dict):
        raise ChannelError(f"{what} {redact_url(url)}: unexpected answer {body!r}")
    for key in keys:
        if key in body:
            code = body[key]
            if code not in (0, "0"):
                msg = body.get("errmsg") or body.get("msg") or body.get("StatusMessage") or ""
                raise ChannelError(f"{what} {redact_url(url)}: {key} {code}: {msg}")
            return
    raise ChannelError(f"{what} {redact_url(url)}: answer has none of {', '.join(keys)}: {body!r}")
