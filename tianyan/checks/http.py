"""``kind: http`` — an HTTP(S) probe with blackbox_exporter's metric names (via requests)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from hucheng.httperrors import describe_request_error
from tianyan.checks.base import CheckBase, Observation

if TYPE_CHECKING:
    import requests


class HttpCheck(CheckBase):
    kind: Literal["http"]
    url: str = Field(description="the URL to request")
    method: str = "GET"
    headers: dict[str, str] = Field(default_factory=dict)
    body: str | None = None
    valid_status_codes: list[int] = Field(
        default_factory=list, description="accepted status codes; empty: any 2xx"
    )
    body_regex: str | None = Field(default=None, description="the body must match this regex")
    json_field: str | None = Field(default=None, description="dotted path into a JSON body, e.g. status.db")
    json_value: str | None = Field(default=None, description="the value json_field must have (as text)")
    follow_redirects: bool = True
    verify_tls: bool = True
    ca_file: Path | None = Field(default=None, description="CA bundle to verify the server with (PEM)")


def _json_lookup(body: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(body, list) and part.isdigit() and int(part) < len(body):
            body = body[int(part)]
        elif isinstance(body, dict) and part in body:
            body = body[part]
        else:
            return None
    return body


def _cert_expiry(response: requests.Response) -> float | None:
    """notAfter of the peer certificate, as Unix seconds, when the connection was TLS and verified
    (Python's ssl module does not decode an unverified certificate)."""
    import ssl  # here: importing it costs every hucheng command ~10 ms, and only a check needs it

    # the socket under the not-yet-read body (urllib3 may already have let go of the connection)
    candidates = [
        getattr(getattr(response.raw, "connection", None), "sock", None),
        getattr(getattr(getattr(getattr(response.raw, "_fp", None), "fp", None), "raw", None), "_sock", None),
    ]
    sock = next((c for c in candidates if isinstance(c, ssl.SSLSocket)), None)
    if not isinstance(sock, ssl.SSLSocket):
        return None
    cert = sock.getpeercert()
    if not cert or "notAfter" not in cert:
        return None
    return float(ssl.cert_time_to_seconds(str(cert["notAfter"])))


def run(check: CheckBase, timeout: float) -> Observation:
    import requests

    assert isinstance(check, HttpCheck)
    labels = {"instance": check.url}
    samples: list[tuple[str, dict[str, str], float]] = []
    t0 = time.perf_counter()
    try:
        with requests.Session() as session:
            response = session.request(
                check.method,
                check.url,
                headers=check.headers,
                data=check.body,
                timeout=timeout,
                allow_redirects=check.follow_redirects,
                verify=str(check.ca_file) if check.ca_file and check.verify_tls else check.verify_tls,
                stream=True,
            )
            t_headers = time.perf_counter()
            expiry = _cert_expiry(response)
            content = response.content
            t_done = time.perf_counter()
            response.close()
    except requests.RequestException as exc:
        elapsed = time.perf_counter() - t0
        samples += [("probe_success", labels, 0.0), ("probe_duration_seconds", labels, elapsed)]
        return Observation(samples, False, f"{check.url}: {describe_request_error(exc)}")
    ok_status = (
        response.status_code in check.valid_status_codes
        if check.valid_status_codes
        else 200 <= response.status_code < 300
    )
    errors = [] if ok_status else [f"{check.url}: status {response.status_code}"]
    regex_failed = False
    text = content.decode(response.encoding or "utf-8", "replace")
    if check.body_regex is not None and not re.search(check.body_regex, text):
        regex_failed = True
        errors.append(f"{check.url}: body does not match {check.body_regex!r}")
    if check.json_field is not None:
        try:
            found = _json_lookup(json.loads(text), check.json_field)
        except ValueError:
            found = None
        want = check.json_value
        if found is None or (want is not None and str(found) != want):
            regex_failed = True
            errors.append(f"{check.url}: JSON field {check.json_field} is {found!r}, expected {want!r}")
    samples += [
        ("probe_http_status_code", labels, float(response.status_code)),
        ("probe_http_content_length", labels, float(len(content))),
        ("probe_http_redirects", labels, float(len(response.history))),
        ("probe_http_ssl", labels, 1.0 if check.url.startswith("https") else 0.0),
        ("probe_failed_due_to_regex", labels, 1.0 if regex_failed else 0.0),
        # requests does not expose connect/TLS timings; the split is "until headers" and "body"
        ("probe_http_duration_seconds", {**labels, "phase": "processing"}, t_headers - t0),
        ("probe_http_duration_seconds", {**labels, "phase": "transfer"}, t_done - t_headers),
        ("probe_duration_seconds", labels, t_done - t0),
    ]
    if expiry is not None:
        samples.append(("probe_ssl_earliest_cert_expiry", labels, expiry))
    success = not errors
    samples.append(("probe_success", labels, 1.0 if success else 0.0))
    return Observation(samples, success, "; ".join(errors))
