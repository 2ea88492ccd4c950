"""Record kinds. Adding one: a module next to ``cycle.py`` that defines ``KIND``, and one line below.

Each kind's module (its pydantic models) is imported the first time a store needs that kind, not
when the store is opened: building the models of every kind cost a ~0.2 s start-up to every command,
while a ``lego run`` writes two kinds.
"""

from __future__ import annotations

from hucheng.store.kinds.base import KindRegistry, Migration, RecordKind

__all__ = ["KINDS", "KindRegistry", "Migration", "RecordKind", "default_kinds"]

#: kind name -> the module under hucheng.store.kinds that defines its ``KIND``
KINDS = {
    "cycle": "cycle",
    "finding": "finding",
    "tianyan_samples": "tianyan_samples",
    "tianyan_rule_state": "tianyan_rule_state",
    "tianyan_silence": "tianyan_silence",
    "tianyan_outbox": "tianyan_outbox",
    "tianyan_nflog": "tianyan_nflog",
    "lego_run": "lego_run",
    "lego_job": "lego_job",
    "lego_approval": "lego_approval",
    "test_case": "test_case",
    "deployment": "deployment",
}


def default_kinds() -> KindRegistry:
    """A fresh registry with every kind hucheng writes (each loaded when first used)."""
    return KindRegistry(lazy={name: f"hucheng.store.kinds.{module}" for name, module in KINDS.items()})
