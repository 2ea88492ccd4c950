"""Record kinds load when first used: every registered kind resolves, and opening a store builds none."""

from __future__ import annotations

import subprocess
import sys

import pytest

from hucheng.errors import RecordSchemaError
from hucheng.store.kinds import KINDS, KindRegistry, default_kinds


def test_every_registered_kind_loads_under_its_own_name() -> None:
    registry = default_kinds()
    assert registry.names() == sorted(KINDS)
    for name in KINDS:
        kind = registry.get(name)
        assert kind.name == name and kind.version >= 1


def test_an_unknown_kind_is_still_refused_with_the_known_ones_listed() -> None:
    with pytest.raises(RecordSchemaError, match=r"unknown record kind 'nope'.*lego_job"):
        default_kinds().get("nope")


def test_a_lazy_module_whose_kind_has_another_name_is_an_error() -> None:
    registry = KindRegistry(lazy={"lego_run": "hucheng.store.kinds.lego_job"})
    with pytest.raises(ValueError, match="is not the record kind 'lego_run'"):
        registry.get("lego_run")


def test_opening_a_store_and_writing_one_kind_imports_only_that_kinds_module(tmp_path: object) -> None:
    code = f"""
import sys
from datetime import UTC, datetime
from hucheng.store import Record, open_store
store = open_store("sqlite:///{tmp_path}/s.db")
before = sorted(m for m in sys.modules if m.startswith("hucheng.store.kinds."))
data = {{"run_id": "r", "job": "j", "by": "me"}}
store.put([Record("lego_approval", datetime.now(UTC), {{"run": "r"}}, data)])
after = sorted(m for m in sys.modules if m.startswith("hucheng.store.kinds."))
print(before, after)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert (
        out.strip()
        == "['hucheng.store.kinds.base'] ['hucheng.store.kinds.base', 'hucheng.store.kinds.lego_approval']"
    )
