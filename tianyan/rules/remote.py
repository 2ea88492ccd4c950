"""Instant queries against a Prometheus server's HTTP API (``/api/v1/query``)."""

from __future__ import annotations

import math
from datetime import datetime

from tianyan.errors import QueryError
from tianyan.rules.series import Labels, labels_key


def _value(text: str) -> float:
    return {"+Inf": math.inf, "-Inf": -math.inf, "NaN": math.nan}.get(text) or float(text)


def instant_query(
    base_url: str, expr: str, at: datetime | None, timeout: float
) -> list[tuple[Labels, float]]:
    """The result of ``expr`` at ``at`` (now when None) as a vector; a scalar is one unlabelled element."""
    import requests

    url = base_url.rstrip("/") + "/api/v1/query"
    params = {"query": expr}
    if at is not None:
        params["time"] = f"{at.timestamp():.3f}"
    try:
        response = requests.post(url, data=params, timeout=timeout)
        body = response.json()
    except requests.RequestException as exc:
        raise QueryError(
            f"cannot query Prometheus at {url}: {type(exc).__name__}: {exc}; is it running?"
        ) from exc
    except ValueError as exc:
        raise QueryError(f"Prometheus at {url} answered HTTP {response.status_code} without JSON") from exc
    if body.get("status") != "success":
        raise QueryError(
            f"Prometheus at {url} rejected {expr!r}: {body.get('errorType')}: {body.get('error')}"
        )
    data = body["data"]
    kind = data.get("resultType")
    if kind == "vector":
        return [(labels_key(item["metric"]), _value(item["value"][1])) for item in data["result"]]
    if kind == "scalar":
        return [((), _value(data["result"][1]))]
    raise QueryError(f"Prometheus at {url}: {expr!r} gave a {kind}, not a vector or scalar")
