"""Find an executable and ask it for its version, without ever hanging or raising."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Binary:
    path: Path
    version: str


_VERSION = re.compile(r"\d+\.\d+(?:\.\d+)*")


def probe(path: Path, version_args: tuple[str, ...] = ("--version",), timeout: float = 15.0) -> Binary | None:
    """Run ``path --version``; ``None`` when it is not an executable that answers."""
    try:
        proc = subprocess.run(
            [str(path), *version_args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (proc.stdout + "\n" + proc.stderr).strip()
    match = _VERSION.search(text)
    return Binary(path, match.group(0) if match else (text.splitlines()[0] if text else "unknown"))


def find_binary(
    names: tuple[str, ...], version_args: tuple[str, ...] = ("--version",), search_path: str | None = None
) -> Binary | None:
    """The first of ``names`` on ``search_path`` (default: $PATH) that answers ``version_args``."""
    for name in names:
        found = shutil.which(name, path=search_path)
        if found:
            binary = probe(Path(found), version_args)
            if binary:
                return binary
    return None
