"""The ``changcheng.secrets:`` section of hucheng.yaml."""

from __future__ import annotations

from hucheng.config.section import Section


class SecretsConfig(Section):
    """Settings for the secrets scan."""
