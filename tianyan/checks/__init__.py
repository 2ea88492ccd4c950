"""Checks: one module per kind behind :class:`~tianyan.checks.base.CheckKind`, registered in
:data:`tianyan.checks.kinds.CHECK_KINDS`; :mod:`tianyan.checks.runner` runs them concurrently."""

# The config schema (hucheng.config) imports tianyan.config, which imports tianyan.checks.kinds, whose
# modules import hucheng.config.section: load hucheng.config first so that cycle always resolves.
import hucheng.config  # noqa: F401
