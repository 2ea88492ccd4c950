"""``lego validate``: every problem in a pipeline file, each with file:line:col."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lego.spec.loader import build_pipeline
from lego.spec.problems import Problem


def validate(pipeline_path: Path, *, brick_dirs: Sequence[Path] = ()) -> list[Problem]:
    """Schema, unknown ``needs``, cycles (with the path), brick inputs and expressions; [] if valid.
    Sorted by position, the pipeline file's own problems first."""
    problems = build_pipeline(pipeline_path, brick_dirs=brick_dirs).problems
    return sorted(
        problems, key=lambda p: (p.pos.file != str(pipeline_path), p.pos.file, p.pos.line, p.pos.column)
    )
