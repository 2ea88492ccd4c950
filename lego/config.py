"""The ``lego:`` section of hucheng.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from hucheng.config.section import Section


class LegoConfig(Section):
    """Settings for lego. ``enabled`` decides whether ``hucheng run`` includes it."""

    enabled: bool = True
    output: Literal["blocks", "lines"] = Field(
        default="blocks",
        description=(
            "job output in CI and pipes: `blocks` (one block per job, the first started written live, "
            "the others when it ends) or `lines` (every line at once, prefixed, jobs interleaved line by "
            "line); env HUCHENG_LEGO__OUTPUT"
        ),
    )
    # -- appended by lego-runner: what `hucheng run` runs ------------------------------------------
    pipeline: Path | None = Field(
        default=None,
        description="pipeline file `hucheng run` runs (relative to the working directory); null: none",
    )
    jobs: int | None = Field(default=None, ge=1, description="jobs at once in `hucheng run`; null: CPUs")
