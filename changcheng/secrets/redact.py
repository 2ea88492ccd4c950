"""Redaction: what of a secret may be shown. On by default in every output format.

A secret keeps its first four characters (enough to tell an ``AKIA`` key from a ``ghp_`` token and
to find it again) when it is at least 12 long, and nothing when shorter; the rest becomes ``*``
(capped at 16, so the length of a long secret is not revealed either).
"""

from __future__ import annotations

KEEP = 4
MIN_LENGTH_TO_KEEP = 12
MAX_STARS = 16


def redact_secret(secret: str) -> str:
    keep = KEEP if len(secret) >= MIN_LENGTH_TO_KEEP else 0
    return secret[:keep] + "*" * min(max(len(secret) - keep, 4), MAX_STARS)


def redact_in(text: str, secret: str) -> str:
    """``text`` with every occurrence of ``secret`` redacted."""
    return text.replace(secret, redact_secret(secret)) if secret else text
