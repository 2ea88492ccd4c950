"""Every check kind, registered in :data:`CHECK_KINDS` (kind name -> config model + run function)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from tianyan.checks import command, dns, file, host, http, process, prometheus, tcp
from tianyan.checks.base import CheckKind

#: every check kind, by the ``kind:`` value that selects it in the config
CHECK_KINDS: dict[str, CheckKind] = {
    "host": CheckKind(host.HostCheck, host.run),
    "http": CheckKind(http.HttpCheck, http.run),
    "tcp": CheckKind(tcp.TcpCheck, tcp.run),
    "dns": CheckKind(dns.DnsCheck, dns.run),
    "process": CheckKind(process.ProcessCheck, process.run),
    "file": CheckKind(file.FileCheck, file.run),
    "command": CheckKind(command.CommandCheck, command.run),
    "prometheus": CheckKind(prometheus.PrometheusCheck, prometheus.run),
}

#: one entry of ``tianyan.checks`` in the config, chosen by its ``kind``
AnyCheck = Annotated[
    host.HostCheck
    | http.HttpCheck
    | tcp.TcpCheck
    | dns.DnsCheck
    | process.ProcessCheck
    | file.FileCheck
    | command.CommandCheck
    | prometheus.PrometheusCheck,
    Field(discriminator="kind"),
]
