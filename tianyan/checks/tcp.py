"""``kind: tcp`` — can we connect? blackbox_exporter's ``probe_success`` / ``probe_duration_seconds``."""

from __future__ import annotations

import socket
import time
from typing import Literal

from pydantic import Field

from tianyan.checks.base import CheckBase, Observation


class TcpCheck(CheckBase):
    kind: Literal["tcp"]
    host: str = Field(description="host name or address")
    port: int = Field(ge=1, le=65535)


def run(check: CheckBase, timeout: float) -> Observation:
    assert isinstance(check, TcpCheck)
    labels = {"instance": f"{check.host}:{check.port}"}
    t0 = time.perf_counter()
    try:
        with socket.create_connection((check.host, check.port), timeout=timeout):
            pass
    except OSError as exc:
        elapsed = time.perf_counter() - t0
        samples = [("probe_success", labels, 0.0), ("probe_duration_seconds", labels, elapsed)]
        return Observation(samples, False, f"{check.host}:{check.port}: {exc}")
    elapsed = time.perf_counter() - t0
    return Observation([("probe_success", labels, 1.0), ("probe_duration_seconds", labels, elapsed)], True)
