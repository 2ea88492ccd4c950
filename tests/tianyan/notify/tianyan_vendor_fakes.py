"""Local stand-ins for the DingTalk, WeCom, Feishu and Slack endpoints (the real ones cannot be
reached from here). Each CHECKS what the vendor documents — signature, body shape, size limits,
rate limit — and answers as the vendor does when something is wrong (HTTP 200 with a non-zero
``errcode``/``code``), so a test against it fails when tianyan gets it wrong.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Received:
    path: str
    query: dict[str, str]
    body: Any
    raw: bytes
    headers: dict[str, str]
    #: what the fake answered: "ok" or the vendor error it reported
    verdict: str = "ok"


@dataclass
class VendorState:
    kind: str
    secret: str | None = None
    #: ok | 500 | hang | fail:N (N failures with HTTP 500, then ok)
    mode: str = "ok"
    hang_seconds: float = 5.0
    rate_per_minute: int | None = None
    #: the clock the rate limit counts with (a test may pass a simulated one)
    clock: Callable[[], float] = time.monotonic
    received: list[Received] = field(default_factory=list)
    sends: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def accepted(self) -> list[Received]:
        return [r for r in self.received if r.verdict == "ok"]


def dingtalk_check(
    state: VendorState, query: dict[str, str], body: Any, raw: bytes
) -> tuple[str, dict[str, Any]]:
    if "access_token" not in query:
        return "no token", {"errcode": 300001, "errmsg": "token is not exist"}
    if state.secret is not None:
        ts, sign = query.get("timestamp", ""), query.get("sign", "")
        if not ts.isdigit() or abs(int(ts) - time.time() * 1000) > 3_600_000:
            return "bad timestamp", {"errcode": 310000, "errmsg": "invalid timestamp"}
        msg = f"{ts}\n{state.secret}".encode()
        expected = base64.b64encode(hmac.new(state.secret.encode(), msg, hashlib.sha256).digest()).decode()
        if sign != expected:
            return "bad sign", {"errcode": 310000, "errmsg": "sign not match"}
    if len(raw) > 20_000:
        return "too long", {"errcode": 460101, "errmsg": "message too long, exceed 20000 bytes"}
    kind = body.get("msgtype")
    if kind == "markdown":
        md = body.get("markdown") or {}
        if not isinstance(md.get("title"), str) or not isinstance(md.get("text"), str) or not md["text"]:
            return "bad markdown", {"errcode": 40035, "errmsg": "missing markdown title/text"}
    elif kind == "text":
        if not (body.get("text") or {}).get("content"):
            return "bad text", {"errcode": 40035, "errmsg": "missing text.content"}
    else:
        return "bad msgtype", {"errcode": 40008, "errmsg": "invalid msgtype"}
    at = body.get("at", {})
    if not isinstance(at.get("atMobiles", []), list) or not isinstance(at.get("isAtAll", False), bool):
        return "bad at", {"errcode": 40035, "errmsg": "bad at"}
    return "ok", {"errcode": 0, "errmsg": "ok"}


def wecom_check(
    state: VendorState, query: dict[str, str], body: Any, raw: bytes
) -> tuple[str, dict[str, Any]]:
    if "key" not in query:
        return "no key", {"errcode": 93000, "errmsg": "invalid webhook url"}
    kind = body.get("msgtype")
    if kind == "markdown":
        content = (body.get("markdown") or {}).get("content", "")
        limit = 4096
    elif kind == "text":
        text = body.get("text") or {}
        content = text.get("content", "")
        limit = 2048
        for key in ("mentioned_list", "mentioned_mobile_list"):
            if not isinstance(text.get(key, []), list):
                return f"bad {key}", {"errcode": 40035, "errmsg": f"invalid {key}"}
    else:
        return "bad msgtype", {"errcode": 40008, "errmsg": "invalid message type"}
    if not content:
        return "empty", {"errcode": 44004, "errmsg": "empty content"}
    if len(content.encode()) > limit:
        return "too long", {"errcode": 40058, "errmsg": f"content exceed max length {limit}"}
    return "ok", {"errcode": 0, "errmsg": "ok"}


def feishu_check(
    state: VendorState, query: dict[str, str], body: Any, raw: bytes
) -> tuple[str, dict[str, Any]]:
    if state.secret is not None:
        ts, sign = str(body.get("timestamp", "")), body.get("sign", "")
        if not ts.isdigit() or abs(int(ts) - time.time()) > 3600:
            return "bad timestamp", {
                "code": 19021,
                "msg": "sign match fail or timestamp is not within one hour",
            }
        key = f"{ts}\n{state.secret}".encode()
        if sign != base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode():
            return "bad sign", {"code": 19021, "msg": "sign match fail or timestamp is not within one hour"}
    if len(raw) > 20 * 1024:
        return "too long", {"code": 9499, "msg": "request body too large"}
    kind = body.get("msg_type")
    if kind == "text":
        if not (body.get("content") or {}).get("text"):
            return "bad text", {"code": 9499, "msg": "bad content.text"}
    elif kind == "interactive":
        card = body.get("card") or {}
        if not card.get("elements") or not (card.get("header") or {}).get("title"):
            return "bad card", {"code": 9499, "msg": "bad card"}
    else:
        return "bad msg_type", {"code": 9499, "msg": "bad msg_type"}
    return "ok", {"code": 0, "msg": "success", "data": {}}


CHECKS = {"dingtalk": dingtalk_check, "wecom": wecom_check, "feishu": feishu_check}
RATE_ERRORS = {
    "dingtalk": {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"},
    "wecom": {"errcode": 45009, "errmsg": "api freq out of limit"},
    "feishu": {"code": 9499, "msg": "too many request"},
}


def _handler(state: VendorState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            rec = Received(parts.path, query, body, raw, dict(self.headers))
            with state.lock:
                state.received.append(rec)
                mode = state.mode
                if mode.startswith("fail:"):
                    left = int(mode.split(":")[1])
                    state.mode = f"fail:{left - 1}" if left > 1 else "ok"
                    mode = "500"
            if mode == "hang":
                time.sleep(state.hang_seconds)
                rec.verdict = "hung"
                return self._answer(200, {"errcode": 0})
            if mode == "500":
                rec.verdict = "500"
                return self._answer(500, {"error": "internal"})
            if not isinstance(body, dict) and state.kind != "webhook":
                rec.verdict = "not json"
                return self._answer(400, {"error": "body is not a JSON object"})
            if state.rate_per_minute is not None:
                now = state.clock()
                with state.lock:
                    state.sends = [t for t in state.sends if t > now - 60]
                    over = len(state.sends) >= state.rate_per_minute
                    if not over:
                        state.sends.append(now)
                if over:
                    rec.verdict = "rate limited"
                    return self._answer(200, RATE_ERRORS[state.kind])
            check = CHECKS.get(state.kind)
            if check is not None:
                rec.verdict, answer = check(state, query, body, raw)
                return self._answer(200, answer)
            if state.kind == "slack" and not (
                isinstance(body, dict) and (body.get("text") or body.get("blocks"))
            ):
                rec.verdict = "no_text"
                return self._answer(400, "no_text")
            return self._answer(200, "ok" if state.kind == "slack" else {})

        def _answer(self, status: int, body: Any) -> None:
            data = (body if isinstance(body, str) else json.dumps(body)).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            with contextlib.suppress(OSError):  # the client gave up (timeout test)
                self.wfile.write(data)

    return Handler


class VendorServer:
    def __init__(self, kind: str, secret: str | None = None, **options: Any) -> None:
        self.state = VendorState(kind, secret, **options)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def received(self) -> list[Received]:
        return self.state.received

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def main() -> None:
    """Run one stand-in by hand: ``python tests/tianyan/notify/tianyan_vendor_fakes.py dingtalk
    --secret SEC --port 18080`` prints what it accepts or rejects (for the docs' walk-through)."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("kind", choices=["dingtalk", "wecom", "feishu", "slack", "webhook"])
    parser.add_argument("--secret")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = VendorServer(args.kind, args.secret)
    if args.port:  # rebind on the port asked for
        server.stop()
        server.server = ThreadingHTTPServer(("127.0.0.1", args.port), _handler(server.state))
        server.port = args.port
        server.thread = threading.Thread(target=server.server.serve_forever, args=(0.05,), daemon=True)
        server.thread.start()
    print(f"{args.kind} stand-in on {server.url('/')}", flush=True)
    seen = 0
    try:
        while True:
            time.sleep(0.2)
            for rec in server.received[seen:]:
                body = json.dumps(rec.body, ensure_ascii=False, indent=2)
                print(f"--- {rec.path}?{'&'.join(sorted(rec.query))} -> {rec.verdict}\n{body}", flush=True)
            seen = len(server.received)
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
