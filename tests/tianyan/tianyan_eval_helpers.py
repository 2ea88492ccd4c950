"""Helpers for tianyan's checks and rules tests (imported by name: test modules have no package)."""

from __future__ import annotations

import socket
import threading
from datetime import datetime
from typing import Any

from tianyan.model import Alert


class HangingServer:
    """Accepts TCP connections on 127.0.0.1 and never answers (a target that hangs)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = int(self.sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}/"
        self._conns: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        self.sock.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self._conns.append(conn)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        for conn in self._conns:
            conn.close()
        self.sock.close()


class RecordingSink:
    """A small AlertSink of our own: remembers every call (the notify pipeline is tested by notify)."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[Alert], datetime]] = []

    def process(self, alerts: Any, now: datetime) -> None:
        self.calls.append((list(alerts), now))
