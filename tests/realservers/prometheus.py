"""A real Prometheus on 127.0.0.1 with a temporary config and TSDB, and a small query client."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit
from urllib.request import Request, urlopen

import yaml

from realservers.fetch import get_json
from realservers.ports import LOOPBACK
from realservers.process import ManagedProcess, http_ready, start_on_free_port, start_process

Sample = dict[str, Any]


class PrometheusServer:
    """A running Prometheus: ``.url`` (``http://127.0.0.1:PORT``), ``.port``, ``.query()``, ``.wait_for``."""

    def __init__(self, process: ManagedProcess, port: int, config_path: Path, data_dir: Path) -> None:
        self.process = process
        self.port = port
        self.url = f"http://{LOOPBACK}:{port}"
        self.config_path = config_path
        self.data_dir = data_dir

    def query(self, expr: str) -> list[Sample]:
        """Evaluate an instant query; return ``data.result`` (for a vector: ``[{"metric", "value"}]``)."""
        body = get_json(f"{self.url}/api/v1/query?query={quote(expr)}")
        if body.get("status") != "success":
            raise AssertionError(f"Prometheus query {expr!r} failed: {body}")
        result: list[Sample] = body["data"]["result"]
        return result

    def wait_for(
        self,
        expr: str,
        predicate: Callable[[list[Sample]], bool] = bool,
        timeout: float = 30,
        interval: float = 0.25,
    ) -> list[Sample]:
        """Poll ``expr`` until ``predicate(result)`` holds; return that result or fail after ``timeout``."""
        deadline = time.monotonic() + timeout
        result: list[Sample] = []
        while True:
            result = self.query(expr)
            if predicate(result):
                return result
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"Prometheus at {self.url}: {expr!r} did not match within {timeout:g}s; last result: "
                    f"{result}; targets: {self.targets()}\nlog:\n{self.process.log_tail(10)}"
                )
            time.sleep(interval)

    def targets(self) -> list[dict[str, Any]]:
        """The active scrape targets with their health and last error."""
        body = get_json(f"{self.url}/api/v1/targets")
        return [
            {k: t.get(k) for k in ("scrapeUrl", "health", "lastError")} for t in body["data"]["activeTargets"]
        ]

    def reload(self) -> None:
        """Re-read the config file (needs ``--web.enable-lifecycle``, which the fixture sets)."""
        with urlopen(Request(f"{self.url}/-/reload", method="POST"), timeout=10) as response:
            response.read()

    def stop(self) -> None:
        self.process.stop()

    def __repr__(self) -> str:
        return f"PrometheusServer(url={self.url!r})"


def _scrape_configs(job: str, targets: Sequence[str], scrape_interval: str) -> list[dict[str, Any]]:
    """Group ``host:port`` or URL targets by scheme and path; one scrape config per group."""
    groups: dict[tuple[str, str], list[str]] = {}
    for target in targets:
        parts = urlsplit(target if "://" in target else f"http://{target}")
        groups.setdefault((parts.scheme, parts.path or "/metrics"), []).append(parts.netloc)
    configs = []
    for i, ((scheme, path), hosts) in enumerate(groups.items()):
        configs.append(
            {
                "job_name": job if i == 0 else f"{job}-{i}",
                "scheme": scheme,
                "metrics_path": path,
                "scrape_interval": scrape_interval,
                "static_configs": [{"targets": hosts}],
            }
        )
    return configs


def write_config(
    path: Path,
    *,
    scrape_targets: Sequence[str] = (),
    job: str = "hucheng",
    rule_files: Sequence[Path | str] = (),
    alertmanagers: Sequence[str] = (),
    scrape_interval: str = "1s",
    evaluation_interval: str = "1s",
    extra_scrape_configs: Sequence[Mapping[str, Any]] = (),
) -> Path:
    config: dict[str, Any] = {
        "global": {"scrape_interval": scrape_interval, "evaluation_interval": evaluation_interval},
        "scrape_configs": _scrape_configs(job, scrape_targets, scrape_interval)
        + [dict(c) for c in extra_scrape_configs],
    }
    if rule_files:
        config["rule_files"] = [str(Path(f).resolve()) for f in rule_files]
    if alertmanagers:
        config["alerting"] = {"alertmanagers": [{"static_configs": [{"targets": list(alertmanagers)}]}]}
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def start_prometheus(
    binary: str,
    workdir: Path,
    *,
    scrape_targets: Sequence[str] = (),
    job: str = "hucheng",
    rule_files: Sequence[Path | str] = (),
    alertmanagers: Sequence[str] = (),
    scrape_interval: str = "1s",
    evaluation_interval: str = "1s",
    extra_scrape_configs: Sequence[Mapping[str, Any]] = (),
    timeout: float = 60,
) -> PrometheusServer:
    """Start Prometheus scraping ``scrape_targets`` (``host:port`` or full URLs) as job ``job``.

    ``rule_files`` are loaded as given (Debian's Prometheus 2.42 rejects group-level ``labels``);
    ``alertmanagers`` are ``host:port`` targets for alert delivery.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    config_path = write_config(
        workdir / "prometheus.yml",
        scrape_targets=scrape_targets,
        job=job,
        rule_files=rule_files,
        alertmanagers=alertmanagers,
        scrape_interval=scrape_interval,
        evaluation_interval=evaluation_interval,
        extra_scrape_configs=extra_scrape_configs,
    )
    data_dir = workdir / "data"

    def start(port: int) -> PrometheusServer:
        argv = [
            binary,
            f"--config.file={config_path}",
            f"--storage.tsdb.path={data_dir}",
            f"--web.listen-address={LOOPBACK}:{port}",
            "--web.enable-lifecycle",
            f"--web.console.templates={workdir}",
            f"--web.console.libraries={workdir}",
        ]
        process = start_process(
            argv,
            name="prometheus",
            log_path=workdir / "prometheus.log",
            ready=http_ready(f"http://{LOOPBACK}:{port}/-/ready"),
            timeout=timeout,
        )
        return PrometheusServer(process, port, config_path, data_dir)

    return start_on_free_port(start)
