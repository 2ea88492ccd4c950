"""Loading .lego.yml: schema, bricks, matrix expansion, expressions, validation, graphs.

``load_pipeline(path, brick_dirs=...)`` is the entry point the runner uses; ``lego.spec.validate``
gathers every problem for ``lego validate``; ``lego.spec.expressions`` evaluates ``${{ }}`` at run time.
"""

from __future__ import annotations

from lego.spec.loader import DEFAULT_FILE, build_pipeline, default_brick_dirs, load_pipeline

__all__ = ["DEFAULT_FILE", "build_pipeline", "default_brick_dirs", "load_pipeline"]
