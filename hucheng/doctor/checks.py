"""The doctor's checks: each returns one row saying what was found, who needs it and how to fix it."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from hucheng.doctor.binaries import find_binary
from hucheng.doctor.chromium import USUAL_PATHS, find_chromium
from hucheng.errors import HuchengError

BOOTSTRAP = "run scripts/bootstrap.sh as root"


class CheckStatus(StrEnum):
    OK = "ok"
    MISSING = "missing"  # not on this machine
    INVALID = "invalid"  # present but broken
    SKIPPED = "skipped"  # could not be checked because an earlier check failed


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: CheckStatus
    detail: str
    #: the enabled tools (or "hucheng") that cannot work without it; empty: optional here
    needed_by: tuple[str, ...] = ()
    fix: str = ""

    @property
    def blocking(self) -> bool:
        return self.status is not CheckStatus.OK and bool(self.needed_by)


@dataclass(frozen=True)
class BinarySpec:
    name: str
    executables: tuple[str, ...]
    apt_package: str
    #: which tools use it (shown as needed_by only when the tool is enabled and the use is required)
    used_by: tuple[str, ...]
    required: bool
    version_args: tuple[str, ...] = ("--version",)


BINARIES: tuple[BinarySpec, ...] = (
    BinarySpec("git", ("git",), "git", ("changcheng", "lego", "mojing"), required=True),
    BinarySpec("prometheus", ("prometheus",), "prometheus", ("tianyan",), required=False),
    BinarySpec("promtool", ("promtool",), "prometheus", ("tianyan",), required=False),
    BinarySpec(
        "alertmanager",
        ("prometheus-alertmanager", "alertmanager"),
        "prometheus-alertmanager",
        ("tianyan",),
        required=False,
    ),
    BinarySpec(
        "pushgateway",
        ("prometheus-pushgateway", "pushgateway"),
        "prometheus-pushgateway",
        ("tianyan",),
        required=False,
    ),
    BinarySpec(
        "blackbox-exporter",
        ("prometheus-blackbox-exporter", "blackbox_exporter"),
        "prometheus-blackbox-exporter",
        ("tianyan",),
        required=False,
    ),
    BinarySpec("redis-server", ("redis-server",), "redis-server", ("lego",), required=False),
    BinarySpec("nginx", ("nginx",), "nginx", ("huabao",), required=False, version_args=("-v",)),
)


def run_checks(
    load: Callable[[], Any],
    open_store: Callable[[Any], Any],
    environ: Mapping[str, str] | None = None,
    chromium_paths: Sequence[Path] = USUAL_PATHS,
) -> list[CheckResult]:
    """``load()`` returns the LoadedConfig (or raises); ``open_store(settings)`` opens the store.

    Binaries are looked up on ``environ["PATH"]`` (default: this process's environment).
    """
    env = os.environ if environ is None else environ
    results = [_python()]
    try:
        loaded = load()
    except HuchengError as exc:
        results.append(
            CheckResult("config", CheckStatus.INVALID, str(exc), ("hucheng",), "fix the file named")
        )
        loaded = None
    else:
        source = str(loaded.file) if loaded.file else "defaults (no hucheng.yaml here)"
        results.append(CheckResult("config", CheckStatus.OK, source, ("hucheng",)))
    enabled = _enabled_tools(loaded)
    results.append(_store(loaded, open_store))
    results.append(_chromium(env, enabled, chromium_paths))
    for spec in BINARIES:
        results.append(_binary(spec, enabled, env.get("PATH")))
    return results


def _enabled_tools(loaded: Any) -> set[str]:
    from hucheng.config import TOOL_SECTIONS

    if loaded is None:
        return set(TOOL_SECTIONS)
    return {name for name in TOOL_SECTIONS if getattr(loaded.settings, name).enabled}


def _python() -> CheckResult:
    version = ".".join(str(v) for v in sys.version_info[:3])
    ok = sys.version_info >= (3, 11)
    return CheckResult(
        "python",
        CheckStatus.OK if ok else CheckStatus.INVALID,
        f"{version} ({sys.executable})",
        ("hucheng",),
        "" if ok else "install Python 3.11 or newer",
    )


def _store(loaded: Any, open_store: Callable[[Any], Any]) -> CheckResult:
    if loaded is None:
        return CheckResult(
            "store", CheckStatus.SKIPPED, "config is invalid", ("hucheng",), "fix the config first"
        )
    url = loaded.settings.store_url
    try:
        store = open_store(loaded.settings)
        with store:
            stats = store.stats()
            store.check_writable()
    except HuchengError as exc:
        return CheckResult("store", CheckStatus.INVALID, str(exc), ("hucheng",), "see docs/store.md")
    return CheckResult(
        "store", CheckStatus.OK, f"{url} (writable, schema {stats.schema_version})", ("hucheng",)
    )


def _chromium(environ: Mapping[str, str], enabled: set[str], paths: Sequence[Path]) -> CheckResult:
    needed = ("huabao",) if "huabao" in enabled else ()
    found = find_chromium(environ, paths)
    if found is None:
        fix = f"apt-get install chromium ({BOOTSTRAP}), or set HUCHENG_CHROMIUM=/path/to/chrome"
        return CheckResult("chromium", CheckStatus.MISSING, "not found", needed, fix)
    return CheckResult("chromium", CheckStatus.OK, f"{found.version} ({found.path})", needed)


def _binary(spec: BinarySpec, enabled: set[str], search_path: str | None) -> CheckResult:
    needed = tuple(t for t in spec.used_by if t in enabled) if spec.required else ()
    found = find_binary(spec.executables, spec.version_args, search_path)
    if found is None:
        fix = f"apt-get install {spec.apt_package} ({BOOTSTRAP})"
        detail = "not found" + ("" if spec.required else f" (optional; used by {', '.join(spec.used_by)})")
        return CheckResult(spec.name, CheckStatus.MISSING, detail, needed, fix)
    return CheckResult(spec.name, CheckStatus.OK, f"{found.version} ({found.path})", needed)
