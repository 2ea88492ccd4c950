"""Huabao (华豹): front-end performance — Web Vitals and Lighthouse-compatible scores in real Chromium."""

from __future__ import annotations
