"""Serve a registry on ``/metrics`` from a background thread, for Prometheus to scrape."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Any

from prometheus_client import CollectorRegistry, start_http_server

from hucheng.errors import MetricsError


class MetricsServer:
    """A running ``/metrics`` endpoint. Use as a context manager or call :meth:`close`."""

    def __init__(self, httpd: Any, thread: threading.Thread, host: str) -> None:
        self._httpd = httpd
        self._thread = thread
        self.host = host
        self.port: int = int(httpd.server_address[1])
        self._closed = False

    @property
    def url(self) -> str:
        """The full URL of the endpoint, e.g. ``http://127.0.0.1:41234/metrics``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/metrics"

    def close(self) -> None:
        """Stop serving and release the port. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def __enter__(self) -> MetricsServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"MetricsServer(url={self.url!r})"


def serve_metrics(registry: CollectorRegistry, host: str = "127.0.0.1", port: int = 0) -> MetricsServer:
    """Serve ``registry`` on ``http://host:port/metrics``; ``port=0`` picks a free port (see ``.port``)."""
    try:
        httpd, thread = start_http_server(port, addr=host, registry=registry)
    except OSError as err:
        raise MetricsError(
            f"cannot serve /metrics on {host}:{port}: {err.strerror or err}; "
            "choose a free port (0 picks one) or another address"
        ) from err
    return MetricsServer(httpd, thread, host)
