"""The ignore file: advisories a team has accepted, each with a reason and an expiry.

.. code-block:: yaml

    ignore:
      - id: GHSA-j8r2-6x86-q33q     # any of the advisory's ids or aliases
        reason: only used against our own API, never with user-supplied URLs
        ignore_until: 2025-06-30    # optional; after this date the entry is reported and not honoured

An entry matches a finding when its id is the finding's id or one of its aliases (CVE, GHSA, PYSEC).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from changcheng.errors import IgnoreFileError

DEFAULT_NAMES = (".changcheng-ignore.yaml", ".changcheng-ignore.yml")


@dataclass(frozen=True)
class IgnoreEntry:
    id: str
    reason: str
    until: date | None
    line: int


@dataclass(frozen=True)
class IgnoreList:
    path: str
    entries: tuple[IgnoreEntry, ...]

    def match(self, ids: Iterable[str], today: date) -> IgnoreEntry | None:
        """The first entry, still in force, naming one of ``ids``."""
        wanted = {i.upper() for i in ids}
        for entry in self.entries:
            if entry.id.upper() in wanted and not _expired(entry, today):
                return entry
        return None

    def expired(self, today: date) -> tuple[IgnoreEntry, ...]:
        return tuple(e for e in self.entries if _expired(e, today))

    def suppression(self, entry: IgnoreEntry) -> str:
        """Why a finding is suppressed: the entry's reason, where it is, until when."""
        until = f", until {entry.until.isoformat()}" if entry.until else ""
        return f"{entry.reason} ({self.path}:{entry.line}{until})"

    def expired_warnings(self, today: date) -> list[str]:
        return [
            f"ignore entry {e.id} ({self.path}:{e.line}) expired on {e.until.isoformat()} "
            "and is no longer honoured"
            for e in self.expired(today)
            if e.until is not None
        ]


def _expired(entry: IgnoreEntry, today: date) -> bool:
    return entry.until is not None and entry.until < today


def find_default(directory: Path) -> Path | None:
    for name in DEFAULT_NAMES:
        if (directory / name).is_file():
            return directory / name
    return None


def load_ignore_file(path: Path) -> IgnoreList:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise IgnoreFileError(f"cannot read ignore file {path}: {exc.strerror or exc}") from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise IgnoreFileError(f"{where}: not valid YAML ({problem})") from exc
    if data is None:
        return IgnoreList(str(path), ())
    if not isinstance(data, dict) or not isinstance(data.get("ignore"), list) or set(data) != {"ignore"}:
        raise IgnoreFileError(
            f"{path}:1: an ignore file is a mapping with one key, `ignore:`, a list of "
            "{id, reason, ignore_until}"
        )
    lines = _item_lines(root)
    entries = [_entry(path, item, lines[n] if n < len(lines) else 1) for n, item in enumerate(data["ignore"])]
    return IgnoreList(str(path), tuple(entries))


def _entry(path: Path, item: Any, line: int) -> IgnoreEntry:
    where = f"{path}:{line}"
    if not isinstance(item, dict):
        raise IgnoreFileError(f"{where}: an entry must be a mapping with id, reason and ignore_until")
    unknown = set(item) - {"id", "reason", "ignore_until"}
    if unknown:
        raise IgnoreFileError(f"{where}: unknown key {sorted(unknown)[0]!r}; known: id, reason, ignore_until")
    ident, reason, until = item.get("id"), item.get("reason"), item.get("ignore_until")
    if not isinstance(ident, str) or not ident.strip():
        raise IgnoreFileError(f"{where}: `id` is required (an advisory id or alias, e.g. GHSA-...)")
    if not isinstance(reason, str) or not reason.strip():
        raise IgnoreFileError(f"{where}: `reason` is required for {ident}: say why it is accepted")
    if isinstance(until, str):
        try:
            until = date.fromisoformat(until)
        except ValueError:
            until = None if until == "" else until
    if isinstance(until, datetime):
        until = until.date()
    if until is not None and not isinstance(until, date):
        raise IgnoreFileError(f"{where}: `ignore_until` of {ident} must be a date (YYYY-MM-DD)")
    return IgnoreEntry(ident.strip(), reason.strip(), until, line)


def _item_lines(root: yaml.Node | None) -> list[int]:
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if getattr(key, "value", None) == "ignore" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []
