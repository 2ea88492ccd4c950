"""Lego (乐高): CI/CD pipelines assembled from reusable bricks, run as a DAG."""

from __future__ import annotations
