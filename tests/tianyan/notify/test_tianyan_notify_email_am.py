"""Email through a real SMTP server on loopback (aiosmtpd), plain and STARTTLS; forwarding to a real
Alertmanager and reading the alert back from its API."""

from __future__ import annotations

import email
import email.policy
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from realservers.binaries import require_binary
from realservers.ports import free_port
from tianyan_notify_testkit import T0, alert, pipeline, resolved, routing

from hucheng.store import Store


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(
            (
                envelope.mail_from,
                list(envelope.rcpt_tos),
                email.message_from_bytes(envelope.content, policy=email.policy.default),
            )
        )
        return "250 OK"


@pytest.fixture
def smtp_server(tmp_path: Path) -> Iterator[Any]:
    """A factory: ``smtp_server(tls=True)`` -> (controller, inbox, cert path or None)."""
    from aiosmtpd.controller import Controller

    started: list[Any] = []

    def start(tls: bool = False, implicit: bool = False) -> tuple[Any, Inbox, Path | None]:
        inbox = Inbox()
        kwargs: dict[str, Any] = {}
        cert = None
        if tls:
            openssl = require_binary("openssl")  # skips, or fails under CI=true
            cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
            subprocess.run(
                [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                 "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                 "-keyout", str(key), "-out", str(cert)],
                check=True, capture_output=True,
            )  # fmt: skip
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(cert, key)
            kwargs = {"ssl_context": ctx} if implicit else {"tls_context": ctx, "require_starttls": True}
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **kwargs)
        controller.start()
        started.append(controller)
        return controller, inbox, cert

    try:
        yield start
    finally:
        for c in started:
            c.stop()


def email_routing(tmp_path: Path, port: int, extra: str = "") -> Any:
    return routing(
        tmp_path,
        f"""
global:
  smtp_smarthost: 127.0.0.1:{port}
  smtp_from: tianyan@example.org
route:
  receiver: mail
  group_by: [alertname]
receivers:
  - name: mail
    email_configs:
      - to: ops@example.org
        send_resolved: true
{extra}
""",
    )


def test_email_plain_smtp_html_and_text(tmp_path: Path, store: Store, smtp_server: Any) -> None:
    controller, inbox, _ = smtp_server()
    cfg = email_routing(tmp_path, controller.port, "        require_tls: false")
    p = pipeline(cfg, store, language="zh")
    a = alert("BackupMissing", instance="nas1")
    p.process([a], T0)
    assert p.flush(T0).sent == 1
    p.process([resolved(a, T0)], T0)
    assert p.flush(T0).sent == 1
    (mail_from, rcpt, first), (_, _, second) = inbox.messages
    assert (mail_from, rcpt) == ("tianyan@example.org", ["ops@example.org"])
    assert first["Subject"].startswith("[告警 1 条]")
    assert second["Subject"].startswith("[已恢复]")
    kinds = {part.get_content_type(): part.get_content() for part in first.iter_parts()}
    assert "BackupMissing" in kinds["text/plain"]
    assert "<h3>" in kinds["text/html"]


def test_email_starttls_verified_against_the_servers_certificate(
    tmp_path: Path, store: Store, smtp_server: Any
) -> None:
    controller, inbox, cert = smtp_server(tls=True)
    cfg = email_routing(tmp_path, controller.port, f"        tls_config: {{ca_file: '{cert}'}}")
    p = pipeline(cfg, store)
    p.process([alert("CertExpiring", instance="web1")], T0)
    assert p.flush(T0).sent == 1
    assert len(inbox.messages) == 1


def test_email_implicit_tls(tmp_path: Path, store: Store, smtp_server: Any) -> None:
    controller, inbox, cert = smtp_server(tls=True, implicit=True)
    extra = f"        implicit_tls: true\n        tls_config: {{ca_file: '{cert}'}}"
    p = pipeline(email_routing(tmp_path, controller.port, extra), store)
    p.process([alert("CertExpiring", instance="web1")], T0)
    assert p.flush(T0).sent == 1
    assert len(inbox.messages) == 1


def test_email_refuses_when_the_server_cannot_starttls(
    tmp_path: Path, store: Store, smtp_server: Any
) -> None:
    controller, inbox, _ = smtp_server()  # no TLS offered; require_tls defaults to true
    p = pipeline(email_routing(tmp_path, controller.port), store)
    p.process([alert("X")], T0)
    summary = p.flush(T0)
    assert summary.failed == 1
    assert "STARTTLS" in summary.results[0].error
    assert inbox.messages == []


def test_alertmanager_receives_the_alert_via_api_v2(tmp_path: Path, store: Store, alertmanager: Any) -> None:
    cfg = routing(
        tmp_path,
        "route:\n  receiver: am\nreceivers:\n  - name: am\n"
        f"    alertmanager_configs:\n      - url: {alertmanager.url}\n",
    )
    p = pipeline(cfg, store)
    from datetime import UTC, datetime

    now = datetime.now(UTC)  # Alertmanager drops alerts whose time is far from its own clock
    p.process([alert("TianyanForwarded", starts_at=now, instance="db1", severity="critical")], now)
    assert p.flush(now).sent == 1
    held = [a for a in alertmanager.alerts() if a["labels"].get("alertname") == "TianyanForwarded"]
    assert len(held) == 1
    assert held[0]["labels"] == {"alertname": "TianyanForwarded", "instance": "db1", "severity": "critical"}
    assert held[0]["annotations"]["summary"] == "TianyanForwarded on db1"
    assert held[0]["status"]["state"] == "active"
    forwarded = alert("TianyanForwarded", starts_at=now, instance="db1", severity="critical")
    assert held[0]["fingerprint"] == forwarded.fingerprint
    # resolving it in tianyan resolves it in Alertmanager: it leaves the list of active alerts
    later = datetime.now(UTC)
    p.process([resolved(forwarded, later)], later)
    assert p.flush(later).sent == 1
    assert [a for a in alertmanager.alerts() if a["labels"].get("alertname") == "TianyanForwarded"] == []
