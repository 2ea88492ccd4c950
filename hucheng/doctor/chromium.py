"""Where Chromium is: ``HUCHENG_CHROMIUM``, then the usual paths, then Playwright's own browser.

Debian's ``chromium`` package is the expected source: Playwright's browser download is not
reachable on the machines hucheng targets. huabao launches the browser this finds.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

from hucheng.doctor.binaries import Binary, probe

USUAL_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
USUAL_PATHS = (Path("/usr/bin/chromium"), Path("/usr/lib/chromium/chromium"), Path("/snap/bin/chromium"))


def candidate_paths(
    environ: Mapping[str, str] | None = None, usual_paths: Sequence[Path] = USUAL_PATHS
) -> list[Path]:
    env = os.environ if environ is None else environ
    out: list[Path] = []
    if env.get("HUCHENG_CHROMIUM"):
        out.append(Path(env["HUCHENG_CHROMIUM"]))
    out += [Path(p) for name in USUAL_NAMES if (p := shutil.which(name, path=env.get("PATH")))]
    out += list(usual_paths)
    out += sorted(_playwright_browsers(env))
    return list(dict.fromkeys(out))  # first occurrence wins, order kept


def _playwright_browsers(env: Mapping[str, str]) -> list[Path]:
    root = Path(env.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright")
    if not root.is_dir():
        return []
    return [p for p in root.glob("chromium*/chrome-linux*/chrome") if p.is_file()]


def find_chromium(
    environ: Mapping[str, str] | None = None, usual_paths: Sequence[Path] = USUAL_PATHS
) -> Binary | None:
    """The first candidate that runs and reports a version."""
    for path in candidate_paths(environ, usual_paths):
        if path.is_file() and os.access(path, os.X_OK):
            binary = probe(path, ("--version",))
            if binary:
                return binary
    return None
