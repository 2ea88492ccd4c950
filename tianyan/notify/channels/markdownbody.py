"""Shared by the robot channels: pick the template, render within a byte budget."""

from __future__ import annotations

import json
from collections.abc import Callable
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
