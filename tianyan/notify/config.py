"""The ``tianyan.notify:`` section of hucheng.yaml (routing file, outbox and retry settings)."""

from __future__ import annotations

from hucheng.config.section import Section


class NotifyConfig(Section):
    """Where alerts go. Filled in by the notify pipeline."""
