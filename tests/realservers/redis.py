"""A real redis-server on 127.0.0.1, no persistence; spoken to over a raw socket (no redis package)."""

from __future__ import annotations

import socket
from pathlib import Path

from realservers.ports import LOOPBACK
from realservers.process import ManagedProcess, start_on_free_port, start_process


def redis_command(port: int, *args: str, host: str = LOOPBACK, timeout: float = 2) -> bytes:
    """Send one RESP command and return the first reply line (e.g. ``b"+PONG"``)."""
    payload = f"*{len(args)}\r\n".encode()
    for arg in args:
        data = arg.encode()
        payload += b"$%d\r\n%s\r\n" % (len(data), data)
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(payload)
        reply = b""
        while not reply.endswith(b"\r\n"):
            chunk = sock.recv(4096)
            if not chunk:
                break
            reply += chunk
    return reply.split(b"\r\n", 1)[0]


def _ping_ready(port: int) -> bool:
    try:
        return redis_command(port, "PING", timeout=0.5) == b"+PONG"
    except OSError:
        return False


class RedisServer:
    """A running redis-server: ``.host``, ``.port``, ``.url`` (``redis://127.0.0.1:PORT/0``), ``.ping()``."""

    def __init__(self, process: ManagedProcess, port: int) -> None:
        self.process = process
        self.host = LOOPBACK
        self.port = port
        self.url = f"redis://{LOOPBACK}:{port}/0"

    def ping(self) -> bool:
        return redis_command(self.port, "PING") == b"+PONG"

    def stop(self) -> None:
        self.process.stop()

    def __repr__(self) -> str:
        return f"RedisServer(url={self.url!r})"


def start_redis(binary: str, workdir: Path, *, timeout: float = 30) -> RedisServer:
    """Start redis-server bound to 127.0.0.1 with ``--save ""`` and no AOF; ready when PING answers."""
    workdir.mkdir(parents=True, exist_ok=True)

    def start(port: int) -> RedisServer:
        argv = [
            binary,
            "--port",
            str(port),
            "--bind",
            LOOPBACK,
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
            "--daemonize",
            "no",
            "--logfile",
            "",
        ]
        process = start_process(
            argv,
            name="redis-server",
            log_path=workdir / "redis.log",
            ready=lambda: _ping_ready(port),
            timeout=timeout,
        )
        return RedisServer(process, port)

    return start_on_free_port(start)
