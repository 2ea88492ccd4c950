"""Mojing (魔镜): R&D reporting — DORA metrics and trend reports from what the other tools record."""

from __future__ import annotations
