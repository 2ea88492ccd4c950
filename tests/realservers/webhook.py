"""A webhook receiver on 127.0.0.1 (port 0) that keeps the JSON bodies it is sent, for tests that
check what tianyan delivered (Alertmanager v4 payloads)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class RecordingWebhook:
    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        received = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                received.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def alertmanager_yml(self) -> str:
        """A routing config that sends every alert to this receiver, one group per alertname."""
        return (
            "route:\n  receiver: hook\n  group_by: [alertname]\n"
            f"receivers:\n  - name: hook\n    webhook_configs: [{{url: '{self.url}'}}]\n"
        )

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
