"""hucheng's shared core: config, errors and exit codes, the record store, executors, metrics, output."""

from __future__ import annotations

__version__ = "0.1.0"
