"""The ``lego:`` section of hucheng.yaml."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from hucheng.config.section import Section


class LegoConfig(Section):
    """Settings for lego. ``enabled`` decides whether ``hucheng run`` includes it."""

    enabled: bool = True
    # -- appended by lego-runner: what `hucheng run` runs ------------------------------------------
    pipeline: Path | None = Field(
        default=None,
        description="pipeline file `hucheng run` runs (relative to the working directory); null: none",
    )
    jobs: int | None = Field(default=None, ge=1, description="jobs at once in `hucheng run`; null: CPUs")
