"""Loading .lego.yml: schema, bricks, matrix expansion, expressions, validation, graphs.

``load_pipeline(path, brick_dirs=...)`` is the entry point the runner uses; ``lego.spec.validate``
gathers every problem for ``lego validate``; ``lego.spec.expressions`` evaluates ``${{ }}`` at run time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lego.spec.loader import DEFAULT_FILE, build_pipeline, default_brick_dirs, load_pipeline


def __getattr__(name: str) -> Any:
    """The loader is imported when first asked for: a run that only needs ``lego.spec.expressions``
    (a re-run whose pipeline came from ``lego.pipecache``) does not pay for the schema and checks."""
    if name in __all__:
        from lego.spec import loader

        return getattr(loader, name)
    raise AttributeError(f"module 'lego.spec' has no attribute {name!r}")


__all__ = ["DEFAULT_FILE", "build_pipeline", "default_brick_dirs", "load_pipeline"]
