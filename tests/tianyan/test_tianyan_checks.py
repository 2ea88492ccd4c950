"""Check kinds against real things on loopback: an HTTP server, a socket that hangs, a plugin."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter
from tianyan_eval_helpers import HangingServer

from tianyan.checks.base import CheckBase, CheckResult
from tianyan.checks.command import parse_perfdata
from tianyan.checks.kinds import AnyCheck
from tianyan.checks.runner import run_checks, run_one


def make(**fields: Any) -> CheckBase:
    check: CheckBase = TypeAdapter(AnyCheck).validate_python(fields)
    return check


def values(result: CheckResult, name: str) -> list[float]:
    return [s.value for s in result.samples if s.name == name]


def test_http_ok_has_blackbox_names(static_http_server: Any) -> None:
    (static_http_server.root / "health.json").write_text(json.dumps({"status": {"db": "up"}}))
    check = make(
        name="shop",
        kind="http",
        url=f"{static_http_server.url}/health.json",
        body_regex='"db"',
        json_field="status.db",
        json_value="up",
        labels={"team": "pay"},
    )
    result = run_one(check)
    assert result.success, result.error
    assert values(result, "probe_success") == [1.0]
    assert values(result, "probe_http_status_code") == [200.0]
    assert values(result, "probe_failed_due_to_regex") == [0.0]
    phases = {s.labels["phase"] for s in result.samples if s.name == "probe_http_duration_seconds"}
    assert phases == {"processing", "transfer"}
    success = next(s for s in result.samples if s.name == "probe_success")
    assert success.labels == {"check": "shop", "team": "pay", "instance": check.url}  # type: ignore[attr-defined]
    assert "probe_ssl_earliest_cert_expiry" not in {s.name for s in result.samples}


def test_http_wrong_status_and_regex_fail(static_http_server: Any) -> None:
    (static_http_server.root / "page.html").write_text("maintenance")
    missing = run_one(make(name="m", kind="http", url=f"{static_http_server.url}/nope"))
    assert not missing.success
    assert values(missing, "probe_http_status_code") == [404.0]
    assert "status 404" in missing.error
    regex = run_one(make(name="r", kind="http", url=f"{static_http_server.url}/page.html", body_regex="^OK"))
    assert not regex.success
    assert values(regex, "probe_failed_due_to_regex") == [1.0]
    accepted = run_one(
        make(name="a", kind="http", url=f"{static_http_server.url}/nope", valid_status_codes=[404])
    )
    assert accepted.success


def test_http_refused_is_a_failed_probe_not_an_error() -> None:
    from realservers.ports import free_port

    result = run_one(make(name="down", kind="http", url=f"http://127.0.0.1:{free_port()}/", timeout="2s"))
    assert not result.success
    assert values(result, "probe_success") == [0.0]
    assert "Connection refused" in result.error
    assert values(result, "tianyan_check_success") == [0.0]


def test_hanging_target_times_out_without_delaying_others(
    hanging_server: HangingServer, static_http_server: Any
) -> None:
    (static_http_server.root / "ok").write_text("ok")
    hang_http = make(name="hang-http", kind="http", url=hanging_server.url, timeout="1s")
    hang_cmd = make(
        name="hang-cmd",
        kind="command",
        command=[sys.executable, "-c", "import time; time.sleep(30)"],
        timeout="1s",
    )
    fast = [make(name=f"ok{i}", kind="http", url=f"{static_http_server.url}/ok") for i in range(4)]
    finished: dict[str, float] = {}
    t0 = time.monotonic()
    results = run_checks(
        [hang_http, hang_cmd, *fast],
        concurrency=3,
        on_result=lambda r: finished.setdefault(r.name, time.monotonic() - t0),
    )
    by_name = {r.name: r for r in results}
    assert [r.name for r in results] == ["hang-http", "hang-cmd", "ok0", "ok1", "ok2", "ok3"]
    assert all(by_name[f"ok{i}"].success for i in range(4))
    assert not by_name["hang-http"].success and "timed out" in by_name["hang-http"].error
    assert not by_name["hang-cmd"].success and "timed out" in by_name["hang-cmd"].error
    # the fast checks did not wait for the hanging ones (which take their whole 1s timeout)
    assert max(finished[f"ok{i}"] for i in range(4)) < finished["hang-http"]


def test_tcp_check(static_http_server: Any) -> None:
    from realservers.ports import free_port

    up = run_one(make(name="t", kind="tcp", host="127.0.0.1", port=static_http_server.port))
    down = run_one(make(name="t2", kind="tcp", host="127.0.0.1", port=free_port(), timeout="1s"))
    assert up.success and values(up, "probe_success") == [1.0]
    assert not down.success and values(down, "probe_success") == [0.0]


def test_command_check_nagios_exit_codes_and_perfdata(tmp_path: Path) -> None:
    plugin = tmp_path / "check_disk"
    plugin.write_text(
        "#!/bin/sh\n"
        "echo \"DISK WARNING - free space: / 3326 MB | /=2643MB;5948;5958;0;5968 'load 1'=0.5;;\"\n"
        "exit 1\n"
    )
    plugin.chmod(0o755)
    result = run_one(make(name="disk", kind="command", command=str(plugin)))
    assert not result.success
    assert result.error.startswith("WARNING: DISK WARNING")
    assert values(result, "tianyan_command_status") == [1.0]
    perf = {s.labels["label"]: s.value for s in result.samples if s.name == "tianyan_command_perfdata"}
    assert perf == {"/": 2643.0, "load 1": 0.5}
    assert values(result, "tianyan_command_perfdata_crit") == [5958.0]


def test_command_check_missing_binary_is_unknown() -> None:
    result = run_one(make(name="x", kind="command", command=["/nonexistent/check_foo"]))
    assert not result.success
    assert values(result, "tianyan_command_status") == [3.0]


def test_perfdata_parser_handles_units_and_ranges() -> None:
    assert parse_perfdata("time=0.02s;1;2;0 size=10KB;10:20;;") == [
        ("time", 0.02, "s", [1.0, 2.0, 0.0]),
        ("size", 10.0, "KB", [None, None, None]),
    ]


def test_file_check_age_and_size(tmp_path: Path) -> None:
    backup = tmp_path / "backup.tar"
    backup.write_bytes(b"x" * 100)
    old = time.time() - 3 * 86400
    os.utime(backup, (old, old))
    stale = run_one(make(name="b", kind="file", path=str(backup), max_age="26h"))
    assert not stale.success and "old" in stale.error
    assert values(stale, "tianyan_file_size_bytes") == [100.0]
    gone = run_one(make(name="g", kind="file", path=str(tmp_path / "none")))
    assert not gone.success and values(gone, "tianyan_file_exists") == [0.0]


def test_process_check_counts_this_process() -> None:
    me = run_one(make(name="p", kind="process", cmdline_regex="pytest|python"))
    assert me.success and values(me, "tianyan_process_count")[0] >= 1
    none = run_one(make(name="q", kind="process", process_name="no-such-process-xyz"))
    assert not none.success and values(none, "tianyan_process_count") == [0.0]


def test_host_check_uses_node_exporter_names() -> None:
    result = run_one(make(name="host", kind="host"))
    names = {s.name for s in result.samples}
    assert result.success
    for name in (
        "node_cpu_seconds_total",
        "node_load1",
        "node_memory_MemAvailable_bytes",
        "node_boot_time_seconds",
    ):
        assert name in names
    modes = {s.labels["mode"] for s in result.samples if s.name == "node_cpu_seconds_total"}
    assert {"user", "system", "idle"} <= modes


def test_dns_check_resolves_localhost() -> None:
    result = run_one(make(name="d", kind="dns", query="localhost", expect=["127.0.0.1"]))
    assert result.success, result.error


def test_https_reports_certificate_expiry(tmp_path: Path) -> None:
    import ssl
    import subprocess
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from realservers.binaries import require_binary

    openssl = require_binary("openssl")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "30",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"https://127.0.0.1:{httpd.server_address[1]}/"
        result = run_one(make(name="tls", kind="http", url=url, ca_file=str(cert)))
        assert result.success, result.error
        (expiry,) = values(result, "probe_ssl_earliest_cert_expiry")
        not_after = ssl.cert_time_to_seconds(
            subprocess.run(
                [openssl, "x509", "-in", str(cert), "-noout", "-enddate"],
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .split("=", 1)[1]
        )
        assert expiry == not_after
        assert values(result, "probe_http_ssl") == [1.0]
        untrusted = run_one(make(name="tls2", kind="http", url=url))
        assert not untrusted.success and "SSLError" in untrusted.error
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_prometheus_check_against_a_dead_server_fails_the_check() -> None:
    from realservers.ports import free_port

    url = f"http://127.0.0.1:{free_port()}"
    result = run_one(make(name="p", kind="prometheus", url=url, query="up", timeout="2s"))
    assert not result.success
    assert result.error.startswith(f"cannot query Prometheus at {url}/api/v1/query")
    assert values(result, "tianyan_check_success") == [0.0]
