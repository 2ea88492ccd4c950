"""Prometheus rule files: loading, PromQL evaluation (local or remote), alert states, lint, tests."""
