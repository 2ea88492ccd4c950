"""Tianyan (天眼): monitoring and alerting — checks, alert rules, routing and delivery."""

from __future__ import annotations
