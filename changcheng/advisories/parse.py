"""One raw OSV mapping (from YAML or JSON) -> :class:`Advisory`.

Validation is minimal on purpose (``id`` and ``affected``, and the shape of what matching reads): a
record that violates it raises :class:`InvalidRecord`, which the loader counts and skips, so one bad
record never takes the database down.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from changcheng.advisories.model import Advisory, Affected, Event, EventKind, Range, SeverityScore


class InvalidRecord(ValueError):
    """A record that does not follow the OSV schema (internal: the loader counts these)."""


def parse_advisory(raw: Any, origin: str = "") -> Advisory:
    if not isinstance(raw, Mapping):
        raise InvalidRecord("not a mapping")
    adv_id = raw.get("id")
    if not isinstance(adv_id, str) or not adv_id.strip():
        raise InvalidRecord("no `id`")
    withdrawn = _text(raw.get("withdrawn"))
    affected_raw = raw.get("affected")
    if affected_raw is None and withdrawn:
        affected_raw = []
    if not isinstance(affected_raw, list):
        raise InvalidRecord(f"{adv_id}: `affected` must be a list")
    return Advisory(
        id=adv_id.strip(),
        aliases=tuple(_text(a) for a in _list(raw.get("aliases"), adv_id, "aliases") if _text(a)),
        summary=_text(raw.get("summary")),
        details=_text(raw.get("details")),
        modified=_text(raw.get("modified")),
        published=_text(raw.get("published")),
        withdrawn=withdrawn,
        affected=tuple(_affected(a, adv_id) for a in affected_raw),
        severity=_severity(raw.get("severity"), adv_id),
        database_severity=_db_severity(raw.get("database_specific")),
        origin=origin,
    )


def _affected(raw: Any, adv_id: str) -> Affected:
    if not isinstance(raw, Mapping):
        raise InvalidRecord(f"{adv_id}: an `affected` entry is not a mapping")
    package = raw.get("package")
    if not isinstance(package, Mapping) or not _text(package.get("name")):
        raise InvalidRecord(f"{adv_id}: an `affected` entry has no package name")
    ecosystem = _text(package.get("ecosystem"))
    if not ecosystem:
        raise InvalidRecord(f"{adv_id}: package {package.get('name')!r} has no ecosystem")
    versions = tuple(_text(v) for v in _list(raw.get("versions"), adv_id, "versions"))
    return Affected(
        ecosystem=ecosystem,
        name=_text(package.get("name")),
        ranges=tuple(_range(r, adv_id) for r in _list(raw.get("ranges"), adv_id, "ranges")),
        versions=versions,
        severity=_severity(raw.get("severity"), adv_id),
        database_severity=_db_severity(raw.get("ecosystem_specific"))
        or _db_severity(raw.get("database_specific")),
    )


def _range(raw: Any, adv_id: str) -> Range:
    if not isinstance(raw, Mapping) or not _text(raw.get("type")):
        raise InvalidRecord(f"{adv_id}: a range has no `type`")
    events: list[Event] = []
    for item in _list(raw.get("events"), adv_id, "events"):
        if not isinstance(item, Mapping) or len(item) != 1:
            raise InvalidRecord(f"{adv_id}: a range event must have exactly one key")
        ((key, value),) = item.items()
        try:
            kind = EventKind(key)
        except ValueError:
            raise InvalidRecord(f"{adv_id}: unknown range event {key!r}") from None
        if not _text(value):
            raise InvalidRecord(f"{adv_id}: range event {key!r} has no version")
        events.append(Event(kind, _text(value)))
    return Range(type=_text(raw.get("type")).upper(), events=tuple(events))


def _severity(raw: Any, adv_id: str) -> tuple[SeverityScore, ...]:
    out = []
    for item in _list(raw, adv_id, "severity"):
        if isinstance(item, Mapping) and _text(item.get("type")) and _text(item.get("score")):
            out.append(SeverityScore(_text(item.get("type")).upper(), _text(item.get("score"))))
    return tuple(out)


def _db_severity(raw: Any) -> str:
    if isinstance(raw, Mapping) and isinstance(raw.get("severity"), str):
        return str(raw["severity"]).strip().upper()
    return ""


def _list(raw: Any, adv_id: str, key: str) -> list[Any]:
    if raw is None or raw == "":
        return []
    if not isinstance(raw, list):
        raise InvalidRecord(f"{adv_id}: `{key}` must be a list")
    return raw


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float, bool)):
        return str(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return ""
