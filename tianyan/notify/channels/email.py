"""Email over SMTP (Alertmanager's ``email_configs``): HTML and plain text, STARTTLS or implicit TLS.

``smarthost`` port 465 means implicit TLS (SMTP over SSL), as in Alertmanager (``implicit_tls``
overrides); otherwise STARTTLS is used when ``require_tls`` is true (the default), skipped when false.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any

from pydantic import Field

from tianyan.errors import ChannelError
from tianyan.notify.channels.interface import Channel, ChannelConfig, Payload, SendContext
from tianyan.notify.channels.markdownbody import source_for, title, with_language
from tianyan.notify.notification import Notification
from tianyan.notify.templates import Renderer

_GLOBAL_KEYS = {
    "from": "smtp_from",
    "smarthost": "smtp_smarthost",
    "hello": "smtp_hello",
    "auth_username": "smtp_auth_username",
    "auth_password": "smtp_auth_password",
    "require_tls": "smtp_require_tls",
}


class TLSSettings(ChannelConfig):
    insecure_skip_verify: bool = False
    ca_file: str | None = None


class EmailConfig(ChannelConfig):
    to: str
    from_: str = ""
    smarthost: str
    hello: str = "localhost"
    auth_username: str | None = None
    auth_password: str | None = None
    require_tls: bool = True
    #: SMTP over TLS from the first byte (SMTPS); None: when the port is 465, as in Alertmanager
    implicit_tls: bool | None = None
    send_resolved: bool = False  # Alertmanager's default for email
    headers: dict[str, str] = Field(default_factory=dict)
    html: str | None = None
    text: str | None = None
    tls_config: TLSSettings = TLSSettings()


class Email(Channel):
    config_key = "email_configs"
    name = "email"
    config_model = EmailConfig
    ignored_keys = frozenset({"auth_secret", "auth_identity", "auth_password_file", "html_file", "text_file"})

    def apply_globals(self, raw: dict[str, Any], globals_: Mapping[str, Any]) -> dict[str, Any]:
        out = dict(raw)
        for key, gkey in _GLOBAL_KEYS.items():
            if key not in out and gkey in globals_:
                out[key] = globals_[gkey]
        if "from" in out:
            out["from_"] = out.pop("from")
        return out

    def build(self, notification: Notification, config: ChannelConfig, renderer: Renderer) -> Payload:
        assert isinstance(config, EmailConfig)
        n = with_language(notification, config)
        subject = config.headers.get("Subject") or title(renderer, n, None)
        text_src = source_for(
            config.model_copy(update={"message": config.text}), "text", n, f"{n.receiver}.email"
        )
        html_src = source_for(
            config.model_copy(update={"message": config.html}), "html", n, f"{n.receiver}.email"
        )
        extra = {"title": subject}
        return {
            "subject": subject,
            "text": renderer.fit(text_src, n, None, extra=extra),
            "html": renderer.fit(html_src, n, None, extra=extra, html=True),
        }

    def send(self, payload: Payload, config: ChannelConfig, ctx: SendContext) -> None:
        assert isinstance(config, EmailConfig)
        msg = EmailMessage()
        msg["Subject"] = payload["subject"]
        msg["From"] = config.from_ or f"tianyan@{config.hello}"
        msg["To"] = config.to
        for key, value in config.headers.items():
            if key not in ("Subject", "From", "To"):
                msg[key] = value
        msg.set_content(payload["text"])
        msg.add_alternative(payload["html"], subtype="html")
        host, _, port_text = config.smarthost.rpartition(":")
        if not host or not port_text.isdigit():
            raise ChannelError(f"email: smarthost {config.smarthost!r} is not host:port")
        port = int(port_text)
        implicit = config.implicit_tls if config.implicit_tls is not None else port == 465
        tls = ssl.create_default_context(cafile=config.tls_config.ca_file)
        if config.tls_config.insecure_skip_verify:
            tls.check_hostname = False
            tls.verify_mode = ssl.CERT_NONE
        try:
            smtp: smtplib.SMTP
            if implicit:
                smtp = smtplib.SMTP_SSL(
                    host, port, local_hostname=config.hello, timeout=ctx.timeout, context=tls
                )
            else:
                smtp = smtplib.SMTP(host, port, local_hostname=config.hello, timeout=ctx.timeout)
            with smtp:
                if not implicit and config.require_tls:
                    smtp.starttls(context=tls)
                if config.auth_username:
                    smtp.login(config.auth_username, config.auth_password or "")
                smtp.send_message(msg)
        except (smtplib.SMTPException, OSError) as exc:
            raise ChannelError(f"email {config.smarthost}: {type(exc).__name__}: {exc}") from exc

    def target(self, config: ChannelConfig) -> str:
        assert isinstance(config, EmailConfig)
        return f"email:{config.to}@{config.smarthost}"
