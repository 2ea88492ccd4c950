"""The starter bricks shipped with hucheng (``uses: pytest``, ``ruff``, ``wheel``, ...): YAML files next
to this module, installed with the package, searched after a project's own brick directories."""

from __future__ import annotations

from pathlib import Path

STARTER = Path(__file__).resolve().parent


def default_dirs(pipeline_path: Path) -> list[Path]:
    """Where ``uses:`` looks after ``--bricks``, present or not: the pipeline's ``configs/lego/bricks``
    and ``.lego/bricks``, then :data:`STARTER`."""
    here = pipeline_path.resolve().parent
    return list(dict.fromkeys([here / "configs" / "lego" / "bricks", here / ".lego" / "bricks", STARTER]))
