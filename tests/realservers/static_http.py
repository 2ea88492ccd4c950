"""A Python ThreadingHTTPServer on 127.0.0.1, port 0, serving a directory from a thread."""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from realservers.ports import LOOPBACK


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class StaticHTTPServer:
    """Serves ``root``: ``.url`` (``http://127.0.0.1:PORT``), ``.port``, ``.root``; :meth:`stop` to close."""

    def __init__(self, root: Path) -> None:
        self.root = root
        handler = partial(_QuietHandler, directory=str(root))
        self._httpd = ThreadingHTTPServer((LOOPBACK, 0), handler)
        self.port = int(self._httpd.server_address[1])
        self.url = f"http://{LOOPBACK}:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="static-http", daemon=True)
        self._thread.start()
        self._stopped = False

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def __enter__(self) -> StaticHTTPServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"StaticHTTPServer(url={self.url!r}, root={str(self.root)!r})"


def start_static_http(root: Path) -> StaticHTTPServer:
    root.mkdir(parents=True, exist_ok=True)
    return StaticHTTPServer(root)
