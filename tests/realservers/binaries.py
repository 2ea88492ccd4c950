"""Find the binaries of real servers; skip (or, with ``CI=true``, fail) when one is missing."""

from __future__ import annotations

import os
import shutil

import pytest

#: binary -> the Debian package that provides it (installed by scripts/bootstrap.sh)
APT_PACKAGES = {
    "prometheus": "prometheus",
    "promtool": "prometheus",
    "prometheus-alertmanager": "prometheus-alertmanager",
    "amtool": "prometheus-alertmanager",
    "prometheus-pushgateway": "prometheus-pushgateway",
    "prometheus-blackbox-exporter": "prometheus-blackbox-exporter",
    "prometheus-node-exporter": "prometheus-node-exporter",
    "redis-server": "redis-server",
    "nginx": "nginx",
    "chromium": "chromium",
}

#: searched after PATH: Debian puts nginx in /usr/sbin, which is not on every user's PATH
_EXTRA_DIRS = ("/usr/sbin", "/usr/bin", "/sbin", "/usr/local/bin", "/usr/local/sbin")


def in_ci() -> bool:
    """True when the environment says this is a CI run (``CI=true``, as GitHub/GitLab set it)."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def find_binary(name: str) -> str | None:
    """The path of ``name`` on PATH or in the usual system directories, or None."""
    found = shutil.which(name)
    if found:
        return found
    return shutil.which(name, path=os.pathsep.join(_EXTRA_DIRS))


def missing_message(name: str) -> str:
    package = APT_PACKAGES.get(name, name)
    return f"{name} not installed: run scripts/bootstrap.sh (apt package {package})"


def require_binary(name: str) -> str:
    """Return the path of ``name``; skip the test if it is missing, or fail it when ``CI=true``."""
    path = find_binary(name)
    if path is not None:
        return path
    if in_ci():
        pytest.fail(missing_message(name), pytrace=False)
    pytest.skip(missing_message(name))
