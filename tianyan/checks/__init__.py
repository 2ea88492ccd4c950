"""Checks: one module per kind behind :class:`~tianyan.checks.base.CheckKind`, registered in
:data:`tianyan.checks.kinds.CHECK_KINDS`; :mod:`tianyan.checks.runner` runs them concurrently."""
