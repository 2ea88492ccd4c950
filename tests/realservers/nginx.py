"""A real nginx on 127.0.0.1 in the foreground, every path (pid, logs, temp dirs) inside a tmp dir."""

from __future__ import annotations

import os
from pathlib import Path

from realservers.ports import LOOPBACK
from realservers.process import ManagedProcess, http_ready, start_on_free_port, start_process

_CONF = """\
{user}daemon off;
master_process on;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log info;

events {{
    worker_connections 64;
}}

http {{
    types {{
        text/html html htm;
        text/plain txt;
        text/css css;
        application/javascript js;
        application/json json;
        image/png png;
        image/svg+xml svg;
    }}
    default_type application/octet-stream;
    access_log {work}/access.log;
    client_body_temp_path {work}/client_body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    sendfile on;

    server {{
        listen {host}:{port};
        server_name localhost;
        root {root};
        location = /__hucheng_ready__ {{
            access_log off;
            return 200 "ok";
        }}
{extra}
    }}
}}
"""


class NginxServer:
    """A running nginx: ``.url`` (``http://127.0.0.1:PORT``), ``.port``, ``.root``, ``.config_path``."""

    def __init__(self, process: ManagedProcess, port: int, root: Path, config_path: Path) -> None:
        self.process = process
        self.port = port
        self.root = root
        self.url = f"http://{LOOPBACK}:{port}"
        self.config_path = config_path

    def stop(self) -> None:
        self.process.stop()

    def __repr__(self) -> str:
        return f"NginxServer(url={self.url!r}, root={str(self.root)!r})"


def start_nginx(
    binary: str, workdir: Path, root: Path, *, server_extra: str = "", timeout: float = 30
) -> NginxServer:
    """Start nginx serving ``root``; ``server_extra`` is pasted into the ``server {}`` block."""
    workdir.mkdir(parents=True, exist_ok=True)
    root.mkdir(parents=True, exist_ok=True)
    config_path = workdir / "nginx.conf"
    # as root, the workers would switch to "nobody" and could not read a tmp dir; keep them as root
    user = "user root;\n" if os.geteuid() == 0 else ""

    def start(port: int) -> NginxServer:
        config_path.write_text(
            _CONF.format(user=user, work=workdir, host=LOOPBACK, port=port, root=root, extra=server_extra)
        )
        argv = [binary, "-p", f"{workdir}/", "-e", str(workdir / "error.log"), "-c", str(config_path)]
        process = start_process(
            argv,
            name="nginx",
            log_path=workdir / "nginx.log",
            ready=http_ready(f"http://{LOOPBACK}:{port}/__hucheng_ready__"),
            timeout=timeout,
        )
        return NginxServer(process, port, root, config_path)

    return start_on_free_port(start)
