"""Record kinds. Adding one: a module next to ``cycle.py`` that defines ``KIND``, and one line below."""

from __future__ import annotations

from hucheng.store.kinds import (
    cycle,
    deployment,
    finding,
    lego_approval,
    lego_job,
    lego_run,
    test_case,
    tianyan_nflog,
    tianyan_outbox,
    tianyan_rule_state,
    tianyan_samples,
    tianyan_silence,
)
from hucheng.store.kinds.base import KindRegistry, Migration, RecordKind

__all__ = ["KindRegistry", "Migration", "RecordKind", "default_kinds"]


def default_kinds() -> KindRegistry:
    """A fresh registry with every kind hucheng writes."""
    return KindRegistry(
        [
            cycle.KIND,
            finding.KIND,
            tianyan_samples.KIND,
            tianyan_rule_state.KIND,
            tianyan_silence.KIND,
            tianyan_outbox.KIND,
            tianyan_nflog.KIND,
            lego_run.KIND,
            lego_job.KIND,
            lego_approval.KIND,
            test_case.KIND,
            deployment.KIND,
        ]
    )
