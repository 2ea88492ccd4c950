"""Push a registry to a Prometheus Pushgateway (cron jobs, CI runs) and delete what was pushed.

``prometheus_client`` does the encoding and the URL (job and grouping key, base64 where needed); the
HTTP handler here closes every response and turns network and HTTP failures into one-line
:class:`~hucheng.errors.MetricsError` messages that name the URL.
"""

from __future__ import annotations

import http.client
from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from prometheus_client import CollectorRegistry, delete_from_gateway, push_to_gateway, pushadd_to_gateway

from hucheng.errors import MetricsError


class PushMethod(StrEnum):
    #: HTTP PUT: replace every metric of the group (job + grouping key)
    PUSH = "push"
    #: HTTP POST: replace only the metrics with the same names as the pushed ones
    PUSHADD = "pushadd"


def _handler(
    url: str, method: str, timeout: float | None, headers: Sequence[tuple[str, str]], data: bytes
) -> Callable[[], None]:
    def handle() -> None:
        request = Request(url, data=None if method == "DELETE" else data, method=method)
        for name, value in headers:
            request.add_header(name, value)
        try:
            with urlopen(request, timeout=timeout) as response:
                response.read()
        except HTTPError as err:
            with err:
                body = err.read().decode("utf-8", "replace").strip().replace("\n", " ")[:200]
            detail = f"HTTP {err.code} {err.reason}" + (f": {body}" if body else "")
            raise MetricsError(
                f"Pushgateway rejected {method} {url}: {detail}; check the job name, grouping key and metrics"
            ) from err
        except URLError as err:
            raise MetricsError(
                f"cannot reach the Pushgateway at {url}: {err.reason}; "
                "check the URL and that the Pushgateway is running"
            ) from err
        except (OSError, http.client.HTTPException, ValueError) as err:
            raise MetricsError(
                f"cannot reach the Pushgateway at {url}: {err}; "
                "check the URL and that the Pushgateway is running"
            ) from err

    return handle


def _check(job: str, grouping_key: Mapping[str, str]) -> dict[str, str]:
    if not job:
        raise MetricsError("cannot push metrics without a job name; pass job='<name>'")
    for name, value in grouping_key.items():
        if not name or value == "":
            raise MetricsError(
                f"grouping key {name!r}={value!r} is empty; every grouping label needs a name and a value"
            )
    return dict(grouping_key)


def push_metrics(
    registry: CollectorRegistry,
    gateway_url: str,
    job: str,
    grouping_key: Mapping[str, str],
    method: PushMethod | str = PushMethod.PUSH,
    timeout: float = 10,
) -> None:
    """Push every metric in ``registry`` to the group ``job`` + ``grouping_key`` of the Pushgateway.

    ``method="push"`` (PUT) replaces the whole group; ``"pushadd"`` (POST) replaces only the metrics of
    the same names. ``gateway_url`` is e.g. ``http://pushgateway:9091`` (``http://`` is assumed).
    """
    try:
        how = PushMethod(method)
    except ValueError as err:
        choices = ", ".join(m.value for m in PushMethod)
        raise MetricsError(f"unknown push method {method!r}; use one of: {choices}") from err
    key = _check(job, grouping_key)
    push = push_to_gateway if how is PushMethod.PUSH else pushadd_to_gateway
    push(gateway_url, job=job, registry=registry, grouping_key=key, timeout=timeout, handler=_handler)


def delete_metrics(gateway_url: str, job: str, grouping_key: Mapping[str, str], timeout: float = 10) -> None:
    """Delete the group ``job`` + ``grouping_key`` from the Pushgateway (e.g. when a cron job retires)."""
    key = _check(job, grouping_key)
    delete_from_gateway(gateway_url, job=job, grouping_key=key, timeout=timeout, handler=_handler)
