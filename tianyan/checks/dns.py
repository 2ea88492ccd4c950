"""``kind: dns`` — does a name resolve (through the system resolver), and to how many addresses?"""

from __future__ import annotations

import socket
import time
from typing import Literal

from pydantic import Field

from tianyan.checks.base import CheckBase, Observation


class DnsCheck(CheckBase):
    kind: Literal["dns"]
    query: str = Field(description="the name to resolve")
    expect: list[str] = Field(default_factory=list, description="addresses that must be among the answers")


def run(check: CheckBase, timeout: float) -> Observation:
    # getaddrinfo has no timeout of its own; the runner's per-check deadline bounds it
    assert isinstance(check, DnsCheck)
    labels = {"instance": check.query}
    t0 = time.perf_counter()
    try:
        infos = socket.getaddrinfo(check.query, None)
    except OSError as exc:
        elapsed = time.perf_counter() - t0
        samples = [("probe_success", labels, 0.0), ("probe_duration_seconds", labels, elapsed)]
        return Observation(samples, False, f"{check.query}: {exc}")
    elapsed = time.perf_counter() - t0
    addresses = sorted({str(info[4][0]) for info in infos})
    missing = [a for a in check.expect if a not in addresses]
    success = not missing
    samples = [
        ("probe_success", labels, 1.0 if success else 0.0),
        ("probe_duration_seconds", labels, elapsed),
        ("probe_dns_answer_rrs", labels, float(len(addresses))),
    ]
    error = f"{check.query} resolves to {addresses}, missing {missing}" if missing else ""
    return Observation(samples, success, error)
