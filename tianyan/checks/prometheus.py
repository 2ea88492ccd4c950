"""``kind: prometheus`` — an instant query against a Prometheus server; the result vector as samples."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from tianyan.checks.base import CheckBase, Observation
from tianyan.errors import QueryError


class PrometheusCheck(CheckBase):
    kind: Literal["prometheus"]
    url: str = Field(description="Prometheus base URL, e.g. http://127.0.0.1:9090")
    query: str = Field(description="PromQL; each element of the result becomes a sample")
    metric: str = Field(default="", description="sample name when the result has no __name__")


def run(check: CheckBase, timeout: float) -> Observation:
    from tianyan.rules.remote import instant_query

    assert isinstance(check, PrometheusCheck)
    try:
        vector = instant_query(check.url, check.query, None, timeout)
    except QueryError as exc:
        return Observation([], False, str(exc))
    samples = []
    for labels, value in vector:
        metric = dict(labels)
        name = metric.pop("__name__", "") or check.metric or "tianyan_query_result"
        samples.append((name, metric, value))
    return Observation(samples, True)
