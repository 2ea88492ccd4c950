"""A real Alertmanager on 127.0.0.1, clustering off, with a webhook receiver."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from realservers.fetch import get_json, post_json
from realservers.ports import LOOPBACK
from realservers.process import ManagedProcess, http_ready, start_on_free_port, start_process

#: where Debian's Alertmanager 0.25 keeps its UI (its templates are next to it)
DEBIAN_UI_PATH = Path("/usr/share/prometheus/alertmanager/ui/")


class AlertmanagerServer:
    """A running Alertmanager: ``.url``, ``.port``, ``.post_alerts()``, ``.alerts()``."""

    def __init__(self, process: ManagedProcess, port: int, config_path: Path) -> None:
        self.process = process
        self.port = port
        self.url = f"http://{LOOPBACK}:{port}"
        self.config_path = config_path

    def post_alerts(self, alerts: list[dict[str, Any]]) -> int:
        """POST alerts to ``/api/v2/alerts`` (each ``{"labels": {...}, "annotations": {...}}``)."""
        return post_json(f"{self.url}/api/v2/alerts", alerts)[0]

    def alerts(self) -> list[dict[str, Any]]:
        """GET ``/api/v2/alerts``: the alerts Alertmanager currently holds."""
        result: list[dict[str, Any]] = get_json(f"{self.url}/api/v2/alerts")
        return result

    def stop(self) -> None:
        self.process.stop()

    def __repr__(self) -> str:
        return f"AlertmanagerServer(url={self.url!r})"


def default_config(webhook_url: str) -> dict[str, Any]:
    return {
        "route": {
            "receiver": "webhook",
            "group_by": ["alertname"],
            "group_wait": "1s",
            "group_interval": "1s",
            "repeat_interval": "1h",
        },
        "receivers": [{"name": "webhook", "webhook_configs": [{"url": webhook_url, "send_resolved": True}]}],
    }


def start_alertmanager(
    binary: str,
    workdir: Path,
    *,
    webhook_url: str | None = None,
    config: dict[str, Any] | None = None,
    timeout: float = 30,
) -> AlertmanagerServer:
    """Start Alertmanager with ``config``, or a single webhook receiver posting to ``webhook_url``.

    Without a ``webhook_url`` the receiver points at a closed port on 127.0.0.1: alerts are accepted and
    listed, notifications fail quietly in the log.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    config_path = workdir / "alertmanager.yml"
    if config is None:
        config = default_config(webhook_url or f"http://{LOOPBACK}:9/hook")
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))

    def start(port: int) -> AlertmanagerServer:
        argv = [
            binary,
            f"--config.file={config_path}",
            f"--storage.path={workdir / 'data'}",
            f"--web.listen-address={LOOPBACK}:{port}",
            "--cluster.listen-address=",  # empty: no gossip listener (it would bind 0.0.0.0:9094)
        ]
        if DEBIAN_UI_PATH.is_dir():
            argv.append(f"--web.ui-path={DEBIAN_UI_PATH}")
        process = start_process(
            argv,
            name="alertmanager",
            log_path=workdir / "alertmanager.log",
            ready=http_ready(f"http://{LOOPBACK}:{port}/-/ready"),
            timeout=timeout,
        )
        return AlertmanagerServer(process, port, config_path)

    return start_on_free_port(start)
