"""Baibaoxiang (百宝箱): the catalog of services and APIs, log collection and capacity forecasts."""

from __future__ import annotations
