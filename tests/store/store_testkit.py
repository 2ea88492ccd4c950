"""Test kinds and record helpers for the store tests (imported by name: this directory is on sys.path)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from hucheng.store import KindRegistry, Record, RecordKind

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


class NoteV1(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    text: str


class ProbeV1(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    ms: int


class ProbeV2(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    latency_seconds: float
    ok: bool


def probe_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    return {"latency_seconds": data["ms"] / 1000, "ok": True}


def test_kinds(probe_version: int = 1) -> KindRegistry:
    """A registry with ``note`` (v1) and ``probe`` at version 1 or 2 (2 migrates from 1)."""
    probe = (
        RecordKind("probe", 1, ProbeV1)
        if probe_version == 1
        else RecordKind("probe", 2, ProbeV2, migrations={1: probe_v1_to_v2})
    )
    return KindRegistry([RecordKind("note", 1, NoteV1), probe])


test_kinds.__test__ = False  # type: ignore[attr-defined]


def note(text: str, time: datetime = T0, **kw: Any) -> Record:
    return Record(kind="note", time=time, data={"text": text}, **kw)
