"""``kind: command`` — a Nagios-compatible plugin: exit 0/1/2/3 and perfdata after ``|``.

Samples: ``tianyan_command_status`` (the exit code; 3 when it could not run or timed out) and one
``tianyan_command_perfdata{label=...}`` per perfdata item (value in the plugin's unit, as printed;
``%``, ``s``, ``B``... are not converted), plus ``..._warn``/``..._crit``/``..._min``/``..._max``.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from typing import Literal

from pydantic import Field

from tianyan.checks.base import CheckBase, Observation

#: 'label'=value[UOM];[warn];[crit];[min];[max]
_PERF = re.compile(
    r"""('(?:[^']|'')+'|[^\s=']+)=([-+]?[\d.]+(?:[eE][-+]?\d+)?)([a-zA-Z%]*)((?:;[^;\s]*){0,4})"""
)
_STATES = {0: "OK", 1: "WARNING", 2: "CRITICAL", 3: "UNKNOWN"}


class CommandCheck(CheckBase):
    kind: Literal["command"]
    command: list[str] | str = Field(description="argv list, or a string split like a shell (no shell)")


def parse_perfdata(text: str) -> list[tuple[str, float, str, list[float | None]]]:
    """Nagios perfdata: [(label, value, unit, [warn, crit, min, max])]. Bad items are skipped."""
    out = []
    for match in _PERF.finditer(text):
        label = match.group(1)
        if label.startswith("'"):
            label = label[1:-1].replace("''", "'")
        extras: list[float | None] = []
        for part in match.group(4).split(";")[1:]:
            try:
                extras.append(float(part) if part else None)
            except ValueError:  # a range like 10:20; only plain numbers become samples
                extras.append(None)
        out.append((label, float(match.group(2)), match.group(3), extras))
    return out


def run(check: CheckBase, timeout: float) -> Observation:
    assert isinstance(check, CommandCheck)
    argv = shlex.split(check.command) if isinstance(check.command, str) else list(check.command)
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return Observation(
            [("tianyan_command_status", {}, 3.0)], False, f"{argv[0]}: timed out after {timeout:g}s"
        )
    except OSError as exc:
        return Observation([("tianyan_command_status", {}, 3.0)], False, f"{argv[0]}: {exc.strerror or exc}")
    status = proc.returncode if proc.returncode in _STATES else 3
    first, _, rest = proc.stdout.partition("\n")
    message, _, perf = first.partition("|")
    perf_texts = [perf] + [line.partition("|")[2] for line in rest.splitlines() if "|" in line]
    samples: list[tuple[str, dict[str, str], float]] = [("tianyan_command_status", {}, float(status))]
    for label, value, unit, extras in parse_perfdata(" ".join(perf_texts)):
        labels = {"label": label, "unit": unit}
        samples.append(("tianyan_command_perfdata", labels, value))
        for suffix, extra in zip(("warn", "crit", "min", "max"), extras, strict=False):
            if extra is not None:
                samples.append((f"tianyan_command_perfdata_{suffix}", labels, extra))
    error = "" if status == 0 else f"{_STATES[status]}: {message.strip() or proc.stderr.strip()[:200]}"
    return Observation(samples, status == 0, error)
