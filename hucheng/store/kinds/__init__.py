"""Record kinds. Adding one: a module next to ``cycle.py`` that defines ``KIND``, and one line below."""

from __future__ import annotations

from hucheng.store.kinds import cycle, deployment, lego_approval, lego_job, lego_run, test_case
from hucheng.store.kinds.base import KindRegistry, Migration, RecordKind

__all__ = ["KindRegistry", "Migration", "RecordKind", "default_kinds"]


def default_kinds() -> KindRegistry:
    """A fresh registry with every kind hucheng writes."""
    return KindRegistry(
        [
            cycle.KIND,
            lego_run.KIND,
            lego_job.KIND,
            lego_approval.KIND,
            test_case.KIND,
            deployment.KIND,
        ]
    )
