"""A real Prometheus Pushgateway on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from realservers.fetch import get_json, get_text
from realservers.ports import LOOPBACK
from realservers.process import ManagedProcess, http_ready, start_on_free_port, start_process


class PushgatewayServer:
    """A running Pushgateway: ``.url`` (``http://127.0.0.1:PORT``), ``.port``, ``.metrics_text()``."""

    def __init__(self, process: ManagedProcess, port: int) -> None:
        self.process = process
        self.port = port
        self.url = f"http://{LOOPBACK}:{port}"

    def metrics_text(self) -> str:
        """The gateway's own ``/metrics`` exposition: every pushed group, plus its own metrics."""
        return get_text(f"{self.url}/metrics")

    def groups(self) -> list[dict[str, object]]:
        """``/api/v1/metrics``: the pushed groups with their labels and metric families."""
        data: list[dict[str, object]] = get_json(f"{self.url}/api/v1/metrics")["data"]
        return data

    def stop(self) -> None:
        self.process.stop()

    def __repr__(self) -> str:
        return f"PushgatewayServer(url={self.url!r})"


def start_pushgateway(
    binary: str, workdir: Path, *, persistence: bool = False, timeout: float = 30
) -> PushgatewayServer:
    """Start a Pushgateway; with ``persistence`` it keeps its groups in ``workdir/pushgateway.data``."""
    workdir.mkdir(parents=True, exist_ok=True)

    def start(port: int) -> PushgatewayServer:
        # always set: Debian's default persists to /var/lib/prometheus/pushgateway.data, shared by all
        store = workdir / "pushgateway.data" if persistence else ""
        argv = [binary, f"--web.listen-address={LOOPBACK}:{port}", f"--persistence.file={store}"]
        process = start_process(
            argv,
            name="pushgateway",
            log_path=workdir / "pushgateway.log",
            ready=http_ready(f"http://{LOOPBACK}:{port}/-/ready"),
            timeout=timeout,
        )
        return PushgatewayServer(process, port)

    return start_on_free_port(start)
