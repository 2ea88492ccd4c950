"""Changcheng (长城): security scanning — vulnerable dependencies, leaked secrets, weak configuration."""

from __future__ import annotations
