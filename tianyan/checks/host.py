"""``kind: host`` — this machine's vital signs (psutil) under node_exporter's metric names."""

from __future__ import annotations

import os
from typing import Literal

from pydantic import Field

from tianyan.checks.base import CheckBase, Observation

Samples = list[tuple[str, dict[str, str], float]]
#: filesystems node_exporter leaves out by default
_SKIP_FSTYPES = frozenset({"tmpfs", "devtmpfs", "overlay", "squashfs", "proc", "sysfs", "nsfs", "autofs"})


class HostCheck(CheckBase):
    kind: Literal["host"]
    filesystems: bool = Field(default=True, description="node_filesystem_* per mounted filesystem")
    disks: bool = Field(default=True, description="node_disk_* per disk")
    network: bool = Field(default=True, description="node_network_* per interface")


def _cpu(out: Samples) -> None:
    import psutil

    for cpu, times in enumerate(psutil.cpu_times(percpu=True)):
        for mode, value in times._asdict().items():
            mode_name = {"guest_nice": "guest_nice"}.get(mode, mode)
            out.append(("node_cpu_seconds_total", {"cpu": str(cpu), "mode": mode_name}, float(value)))
    load1, load5, load15 = os.getloadavg()
    out += [("node_load1", {}, load1), ("node_load5", {}, load5), ("node_load15", {}, load15)]


def _memory(out: Samples) -> None:
    import psutil

    vm = psutil.virtual_memory()
    sw = psutil.swap_memory()
    out += [
        ("node_memory_MemTotal_bytes", {}, float(vm.total)),
        ("node_memory_MemAvailable_bytes", {}, float(vm.available)),
        ("node_memory_MemFree_bytes", {}, float(vm.free)),
        ("node_memory_SwapTotal_bytes", {}, float(sw.total)),
        ("node_memory_SwapFree_bytes", {}, float(sw.free)),
    ]
    for name in ("buffers", "cached"):
        if hasattr(vm, name):
            out.append((f"node_memory_{name.capitalize()}_bytes", {}, float(getattr(vm, name))))


def _filesystems(out: Samples) -> None:
    import psutil

    for part in psutil.disk_partitions(all=False):
        if part.fstype in _SKIP_FSTYPES:
            continue
        labels = {"device": part.device, "mountpoint": part.mountpoint, "fstype": part.fstype}
        try:
            st = os.statvfs(part.mountpoint)
        except OSError:
            continue
        out += [
            ("node_filesystem_size_bytes", labels, float(st.f_blocks * st.f_frsize)),
            ("node_filesystem_avail_bytes", labels, float(st.f_bavail * st.f_frsize)),
            ("node_filesystem_free_bytes", labels, float(st.f_bfree * st.f_frsize)),
            ("node_filesystem_files", labels, float(st.f_files)),
            ("node_filesystem_files_free", labels, float(st.f_ffree)),
            ("node_filesystem_readonly", labels, 1.0 if st.f_flag & os.ST_RDONLY else 0.0),
        ]


def _disks(out: Samples) -> None:
    import psutil

    for disk, io in (psutil.disk_io_counters(perdisk=True) or {}).items():
        labels = {"device": disk}
        out += [
            ("node_disk_read_bytes_total", labels, float(io.read_bytes)),
            ("node_disk_written_bytes_total", labels, float(io.write_bytes)),
            ("node_disk_reads_completed_total", labels, float(io.read_count)),
            ("node_disk_writes_completed_total", labels, float(io.write_count)),
        ]


def _network(out: Samples) -> None:
    import psutil

    for nic, io in psutil.net_io_counters(pernic=True).items():
        labels = {"device": nic}
        out += [
            ("node_network_receive_bytes_total", labels, float(io.bytes_recv)),
            ("node_network_transmit_bytes_total", labels, float(io.bytes_sent)),
            ("node_network_receive_packets_total", labels, float(io.packets_recv)),
            ("node_network_transmit_packets_total", labels, float(io.packets_sent)),
            ("node_network_receive_errs_total", labels, float(io.errin)),
            ("node_network_transmit_errs_total", labels, float(io.errout)),
        ]


def run(check: CheckBase, timeout: float) -> Observation:
    import psutil

    assert isinstance(check, HostCheck)
    out: Samples = []
    _cpu(out)
    _memory(out)
    if check.filesystems:
        _filesystems(out)
    if check.disks:
        _disks(out)
    if check.network:
        _network(out)
    out += [
        ("node_boot_time_seconds", {}, float(psutil.boot_time())),
        ("node_procs", {}, float(len(psutil.pids()))),
    ]
    return Observation(out, True)
