"""Small HTTP helpers for talking to the servers under test (stdlib only; every response is closed)."""

from __future__ import annotations

import json
from typing import Any
from urllib.request import Request, urlopen


def http_get(url: str, timeout: float = 5) -> tuple[int, bytes]:
    """GET ``url``; return (status, body). Raises ``urllib.error.HTTPError`` for 4xx/5xx (close it)."""
    with urlopen(url, timeout=timeout) as response:
        return int(response.status), response.read()


def get_text(url: str, timeout: float = 5) -> str:
    return http_get(url, timeout)[1].decode("utf-8")


def get_json(url: str, timeout: float = 5) -> Any:
    return json.loads(http_get(url, timeout)[1])


def post_json(url: str, payload: Any, timeout: float = 5) -> tuple[int, bytes]:
    """POST ``payload`` as JSON; return (status, body)."""
    request = Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urlopen(request, timeout=timeout) as response:
        return int(response.status), response.read()
