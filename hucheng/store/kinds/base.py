"""Typed record kinds: a name, a schema version, a pydantic model for the current version, migrations.

A :class:`KindRegistry` is a plain object, built by :func:`hucheng.store.kinds.default_kinds` or by a
test with its own kinds; every backend validates writes and migrates reads through it.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel, ValidationError

from hucheng.errors import RecordSchemaError
from hucheng.store.records import Record

Migration = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class RecordKind:
    """One kind of record. ``migrations[n]`` turns version ``n`` data into version ``n + 1`` data."""

    name: str
    version: int
    #: validates ``data`` at the current version; make it ``frozen=True, extra="forbid"``
    model: type[BaseModel]
    migrations: Mapping[int, Migration] = field(default_factory=dict)
    description: str = ""

    def __post_init__(self) -> None:
        if self.version < 1:
            raise ValueError(f"record kind {self.name!r}: version must be 1 or more")
        missing = [n for n in range(1, self.version) if n not in self.migrations]
        if missing:
            raise ValueError(f"record kind {self.name!r}: no migration from version(s) {missing}")

    def migrate(self, data: Mapping[str, Any], from_version: int) -> dict[str, Any]:
        """``data`` written at ``from_version``, brought up to :attr:`version`."""
        if from_version > self.version:
            raise RecordSchemaError(
                f"a {self.name!r} record has schema version {from_version}, newer than this hucheng "
                f"understands ({self.version}); upgrade hucheng"
            )
        out = dict(data)
        for n in range(from_version, self.version):
            try:
                out = self.migrations[n](out)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise RecordSchemaError(
                    f"a {self.name!r} record's version {n} data cannot be migrated to version {n + 1} "
                    f"({type(exc).__name__}: {exc}); the record does not fit version {n}"
                ) from exc
        return out

    def validate_data(self, data: Mapping[str, Any]) -> str:
        """Validate current-version ``data``; return it as canonical JSON text."""
        try:
            return self.model.model_validate(data).model_dump_json()
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "(data)"
            raise RecordSchemaError(
                f"{self.name!r} record data key {where!r}: {first['msg']} ({exc.error_count()} error(s))"
            ) from exc


class KindRegistry:
    """The record kinds a store accepts, by name. Built explicitly; never a module global.

    ``lazy`` maps kind names to the modules that define them (as ``KIND``); a module is imported the
    first time its kind is used, so opening a store does not build every kind's pydantic models.
    """

    def __init__(self, kinds: Iterable[RecordKind] = (), *, lazy: Mapping[str, str] | None = None) -> None:
        self._kinds: dict[str, RecordKind] = {}
        self._lazy: dict[str, str] = dict(lazy or {})
        for kind in kinds:
            self.register(kind)

    def register(self, kind: RecordKind) -> None:
        if kind.name in self._kinds or kind.name in self._lazy:
            raise ValueError(f"record kind {kind.name!r} is registered twice")
        self._kinds[kind.name] = kind

    def names(self) -> list[str]:
        return sorted({*self._kinds, *self._lazy})

    def __contains__(self, name: object) -> bool:
        return name in self._kinds or name in self._lazy

    def get(self, name: str) -> RecordKind:
        kind = self._kinds.get(name)
        if kind is not None:
            return kind
        module = self._lazy.get(name)
        if module is None:
            raise RecordSchemaError(
                f"unknown record kind {name!r}; known kinds: {', '.join(self.names()) or '(none)'}"
            )
        kind = importlib.import_module(module).KIND
        if not isinstance(kind, RecordKind) or kind.name != name:
            raise ValueError(f"{module}.KIND is not the record kind {name!r}")
        del self._lazy[name]
        self._kinds[name] = kind
        return kind

    def prepare(self, record: Record) -> tuple[Record, str]:
        """Check ``record`` for writing: its kind is known, its version is not newer than the kind's,
        its data fits. Returns the record with ``version`` filled in and ``data`` as JSON text.

        Data at the current version is stored in the model's canonical form; data at an older version
        (an import of an old export) is stored as it came, after checking that it migrates cleanly.
        """
        kind = self.get(record.kind)
        version = kind.version if record.version is None else record.version
        if version == kind.version:
            return replace(record, version=version), kind.validate_data(record.data)
        kind.validate_data(kind.migrate(record.data, version))  # raises if newer or not migratable
        try:
            text = json.dumps(record.data, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError) as exc:
            raise RecordSchemaError(f"{record.kind!r} record data is not JSON: {exc}") from exc
        return replace(record, version=version), text

    def upgrade(self, record: Record) -> Record:
        """A record read from a store, with its data migrated to the kind's current version.

        Records of a kind this registry does not know are returned unchanged (another hucheng or
        another registry wrote them; nothing here can interpret them, and nothing is dropped).
        """
        if record.kind not in self:
            return record
        kind = self.get(record.kind)
        version = kind.version if record.version is None else record.version
        if version == kind.version:
            return record
        return replace(record, data=kind.migrate(record.data, version), version=kind.version)
