"""Shared by the robot channels: pick the template, render within a byte budget."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from tianyan.notify.channels.interface import ChannelConfig
from tianyan.notify.notification import Notification
from tianyan.notify.templates import Renderer, TemplateSource, default_source, override_source, title_for


def source_for(config: ChannelConfig, kind: str, notification: Notification, name: str) -> TemplateSource:
    own = override_source(config.message, config.template, name, None)
    return own or default_source(kind, notification.language)


def json_size(wrap: Callable[[str], Any]) -> Callable[[str], int]:
    """Measure a text by the UTF-8 size of the whole JSON body it ends up in."""
    return lambda text: len(json.dumps(wrap(text), ensure_ascii=False).encode())


def with_language(notification: Notification, config: ChannelConfig) -> Notification:
    if config.language and config.language != notification.language:
        from dataclasses import replace

        return replace(notification, language=config.language)
    return notification


def title(renderer: Renderer, notification: Notification, explicit: str | None) -> str:
    return title_for(renderer, notification, explicit)


#: between messages batched into one (rate limits)
SEPARATOR = "\n\n---\n\n"


def merge_texts(texts: Sequence[str], fits: Callable[[str], bool]) -> tuple[str, int]:
    """The first texts joined while the result fits, and how many that is (at least one)."""
    out, used = texts[0], 1
    for text in texts[1:]:
        candidate = out + SEPARATOR + text
        if not fits(candidate):
            break
        out, used = candidate, used + 1
    return out, used


def same_kind(payloads: Sequence[Mapping[str, Any]], key: str) -> list[dict[str, Any]]:
    """The leading bodies with the same message type as the first (only those can be joined)."""
    bodies = [dict(p["body"]) for p in payloads]
    kind = bodies[0].get(key)
    out = []
    for body in bodies:
        if body.get(key) != kind:
            break
        out.append(body)
    return out
